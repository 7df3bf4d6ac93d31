/**
 * Step Functions' "Execution Status Change" event (source `aws.states`), as
 * the service sends it to the account's default bus when a Standard
 * execution's status changes (EventBridge reference, "AWS Step Functions
 * events"; Step Functions guide, "EventBridge (CloudWatch Events) for Step
 * Functions execution status changes"). Dates are epoch milliseconds; input
 * and output are JSON text (null when over EventBridge's size limit, see
 * `inputDetails`); `error` and `cause` are set on a failure, a timeout or a
 * stop that gave them; the `redrive*` fields came with RedriveExecution, so
 * older events may lack them. Loose: fields AWS adds later pass through.
 * test/fixtures/aws/states-status-change.*.json hold payloads in the shape AWS sends.
 */
import { EXECUTION_STATUS_CHANGE } from '../shared/contracts/execution-status-change';
import * as z from '../shared/mini-zod';

/** The statuses an execution ends in (RUNNING and PENDING_REDRIVE are changes too, never ends). */
export const EXECUTION_END_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

const text = () => z.optional(z.nullable(z.string()));

// Built on first use: emit-event loads this module on every invocation, and most are a workflow's own steps. Enums of
// one value rather than literals, and a plain check for the redrive count rather than an int: emit-event's bundle
// carries no schema type it did not already (measured 4.0 KiB more with literal and int, 2.2 KiB like this).
/* @__NO_SIDE_EFFECTS__ */
export const executionStatusChangeSchema = () =>
  z.looseObject({
    id: z.string(),
    source: z.enum([EXECUTION_STATUS_CHANGE.source]),
    'detail-type': z.enum([EXECUTION_STATUS_CHANGE.detailType]),
    time: z.string(),
    detail: z.looseObject({
      executionArn: z.string().check(z.minLength(1)),
      stateMachineArn: z.string().check(z.minLength(1)),
      name: z.string().check(z.minLength(1)),
      status: z.enum(['RUNNING', 'PENDING_REDRIVE', ...EXECUTION_END_STATUSES]),
      startDate: z.number(),
      stopDate: z.optional(z.nullable(z.number())),
      input: text(),
      output: text(),
      error: text(),
      cause: text(),
      redriveCount: z.optional(z.nullable(z.number().check(z.predicate((n: number) => Number.isInteger(n) && n >= 0, 'a whole number of redrives')))),
    }),
  });

export type ExecutionStatusChange = z.infer<ReturnType<typeof executionStatusChangeSchema>>;

/** Whether an invocation's event is one of these (then emit-event records the run's end from it). */
export function isExecutionStatusChange(event: unknown): boolean {
  if (!event || typeof event !== 'object') return false;
  const e = event as Record<string, unknown>;
  return e.source === EXECUTION_STATUS_CHANGE.source && e['detail-type'] === EXECUTION_STATUS_CHANGE.detailType;
}
