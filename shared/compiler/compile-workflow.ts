/**
 * Compiles one workflow to an Amazon States Language document (JSONPath).
 *
 * Shape: prepare the run state → announce `aios.run.started`, which first
 * claims the webhook delivery that started the run → a duplicate delivery
 * (published twice, so started twice) ends here as a no-op; a run started by
 * hand (its input wraps the input given with who started it:
 * contracts/manual-start.ts; its start claims nothing and is audited as
 * manual) has the input given unwrapped, so its steps see it as given (after
 * the announcement, so a run an event started takes no extra state) → run the steps
 * inside a one-branch Parallel (so any failure is caught once, announced as
 * `aios.run.failed` and re-raised with its error) → announce
 * `aios.run.succeeded` → succeed with the steps' results.
 *
 * Run state: `{ event, run: { id, workflow, startedAt }, steps: { <id>: result }, loops }`.
 * Deterministic: the same definition always gives the same document.
 */
import type { ValidOs } from '../definition/validate';
import type { Workflow } from '../definition/workflow';
import { emitEventInputSchema, emitEventOutputSchema } from '../contracts';
import { MANUAL_INPUT_KEY, MANUAL_START_KEY } from '../contracts/manual-start';
import type { AslDocument, AslState } from './asl';
import { lambdaTask } from './lambda-task';
import { compileScope } from './step-graph';
import { renderPayload, runFields, selectOutput } from './task-payload';

export { CompileError } from './errors';

const RUN = {
  prepare: 'Run: prepare',
  announceStart: 'Run: announce start',
  firstStart: 'Run: first start of its delivery?',
  duplicate: 'Run: duplicate delivery',
  unwrapManual: 'Run: take the input given by hand',
  steps: 'Run',
  collect: 'Run: collect results',
  announceSuccess: 'Run: announce success',
  done: 'Run: succeeded',
  announceFailure: 'Run: announce failure',
  failed: 'Run: failed',
};

export function compileWorkflow(workflow: Workflow, os: ValidOs): AslDocument {
  const body = compileScope(workflow, os, workflow.steps, RUN.collect);
  const announce = (detailType: string, detail: Record<string, unknown>, next: string): AslState =>
    lambdaTask({
      fn: 'FnEmitEvent',
      payload: renderPayload(emitEventInputSchema, { ...runFields(workflow.id, 'run', null), detailType, detail }),
      resultPath: null,
      next,
    });

  return {
    Comment: `${workflow.id}: ${workflow.description}`,
    StartAt: RUN.prepare,
    States: {
      [RUN.prepare]: {
        Type: 'Pass',
        Parameters: {
          'event.$': '$',
          run: { 'id.$': '$$.Execution.Name', workflow: workflow.id, 'startedAt.$': '$$.Execution.StartTime' },
          steps: {},
          loops: {},
        },
        Next: RUN.announceStart,
      },
      [RUN.announceStart]: lambdaTask({
        fn: 'FnEmitEvent',
        payload: renderPayload(emitEventInputSchema, {
          ...runFields(workflow.id, 'run', null),
          detailType: 'aios.run.started',
          detail: { 'startedAt.$': '$.run.startedAt', 'trigger.$': '$.event' },
        }),
        resultSelector: selectOutput(emitEventOutputSchema, ['duplicateOf']),
        resultPath: '$.start',
        next: RUN.firstStart,
      }),
      [RUN.firstStart]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.start.duplicateOf', IsString: true, Next: RUN.duplicate },
          { Variable: `$.event.${MANUAL_START_KEY}`, IsPresent: true, Next: RUN.unwrapManual },
        ],
        Default: RUN.steps,
      },
      [RUN.unwrapManual]: { Type: 'Pass', InputPath: `$.event.${MANUAL_INPUT_KEY}`, ResultPath: '$.event', Next: RUN.steps },
      // Another run holds the delivery: nothing of this one happened but its audit record.
      [RUN.duplicate]: { Type: 'Succeed', OutputPath: '$.start' },
      [RUN.steps]: {
        Type: 'Parallel',
        Branches: [body],
        ResultSelector: { 'steps.$': '$[0]' },
        ResultPath: '$.result',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: RUN.announceFailure }],
        Next: RUN.announceSuccess,
      },
      [RUN.announceSuccess]: announce('aios.run.succeeded', { 'startedAt.$': '$.run.startedAt' }, RUN.done),
      [RUN.done]: { Type: 'Succeed', OutputPath: '$.result.steps' },
      [RUN.announceFailure]: announce(
        'aios.run.failed',
        // The redrive it ends keys its record (shared/audit/run-end.ts), as Step Functions' status change of it does.
        { 'startedAt.$': '$.run.startedAt', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause', 'redriveCount.$': '$$.Execution.RedriveCount' },
        RUN.failed,
      ),
      [RUN.failed]: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

/** Every workflow's ASL as the exact text written to `dist/asl/<id>.asl.json`. */
export function compileAll(os: ValidOs): Map<string, string> {
  const out = new Map<string, string>();
  for (const wf of [...os.workflows].sort((a, b) => a.id.localeCompare(b.id))) out.set(wf.id, `${JSON.stringify(compileWorkflow(wf, os), null, 2)}\n`);
  return out;
}
