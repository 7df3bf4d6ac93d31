/**
 * The input a workflow started by hand gets: the file given, else what its
 * schedule gives a scheduled run, else `{}` for a workflow that may be
 * started manually and reads no event. A workflow that only starts on
 * events, or whose steps read the event (`ref('event.…')`), needs one: with
 * `{}` it would fail at its first step (`States.Runtime`: the path
 * `$.event.source` was not found).
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

export class StartReadsEventError extends AiosError {
  constructor(workflowId: string, path: string) {
    super(
      'Start.ReadsEvent',
      `workflow "${workflowId}" reads the event that starts it (${path}): give one with --input <file.json> (e.g. a sample under events/samples), or send it with \`aios send-event\``,
      { workflowId, path },
    );
  }
}

/** The first `ref('event…')` in the workflow's steps, if any. */
function eventRead(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(eventRead).find((p) => p !== undefined);
  if (!value || typeof value !== 'object') return undefined;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') return ref === 'event' || ref.startsWith('event.') ? ref : undefined;
  return Object.values(value)
    .map(eventRead)
    .find((p) => p !== undefined);
}

export function manualStartInput(workflow: Workflow, given: unknown, now: Date): unknown {
  if (given !== undefined) return given;
  const schedule = workflow.triggers.find((t) => t.kind === 'schedule');
  if (schedule && schedule.kind === 'schedule') return JSON.parse(scheduledInput(scheduleTargetInput(schedule.input ?? {}), now)) as unknown;
  if (!workflow.triggers.some((t) => t.kind === 'manual')) throw new StartNeedsInputError(workflow.id);
  const read = eventRead(workflow.steps);
  if (read) throw new StartReadsEventError(workflow.id, read);
  return {};
}
