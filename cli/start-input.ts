/**
 * The input a workflow started by hand gets: the file given, else what its
 * schedule gives a scheduled run, else `{}` for a workflow that may be
 * started manually. A workflow that only starts on events needs its event.
 */
import { AiosError } from '../shared/errors';
import type { Workflow } from '../shared/definition';
import { scheduleTargetInput } from '../shared/deployment/deployment-plan';
import { scheduledInput } from '../local/install-definition';

export class StartNeedsInputError extends AiosError {
  constructor(workflowId: string) {
    super('Start.NeedsInput', `workflow "${workflowId}" starts on events only: give the event with --input <file.json>, or send it with \`aios send-event\``, {
      workflowId,
    });
  }
}

export function manualStartInput(workflow: Workflow, given: unknown, now: Date): unknown {
  if (given !== undefined) return given;
  const schedule = workflow.triggers.find((t) => t.kind === 'schedule');
  if (schedule && schedule.kind === 'schedule') return JSON.parse(scheduledInput(scheduleTargetInput(schedule.input ?? {}), now)) as unknown;
  if (workflow.triggers.some((t) => t.kind === 'manual')) return {};
  throw new StartNeedsInputError(workflow.id);
}
