/**
 * What `aios-emit-event` does with Step Functions' status change event (the
 * stack's rule sends it the ends of the deployment's executions that a
 * workflow cannot record itself: FAILED, TIMED_OUT, ABORTED): the run's
 * `run.ended` record with the status, error and cause, once (its key is the
 * one the workflow's own end step uses: shared/audit/run-end.ts), and, when
 * the workflow did not record this end itself, `aios.run.failed` for other
 * systems. A failure the workflow caught was recorded and announced by its
 * end step before the execution closed: the event then finds that record and
 * adds nothing.
 */
import { aiosRunEvent } from './aios';
import { executionStatusChangeSchema, type ExecutionStatusChange } from './aws-states';
import type { AuditWriter } from '../shared/audit/audit-log';
import { recordRunEnd, STATUS_CHANGE_VIA, type RunEndStatus } from '../shared/audit/run-end';
import type { EventPublisher } from '../shared/webhooks/ports';

export interface ExecutionEndedDeps {
  audit: AuditWriter;
  publisher: EventPublisher;
  /** The deployment's name prefix: the stack names each state machine `<prefix>-<workflow id>` (locally: the workflow id). */
  namePrefix: string;
  now?: () => Date;
}

export interface ExecutionEndedOutput {
  runId: string;
  status: string;
  /** `recorded`: this event's record (now or at an earlier delivery); `already`: the workflow recorded its end; `ignored`: not an end. */
  outcome: 'recorded' | 'already' | 'ignored';
}

/** The error an end without one is announced with (`aios.run.failed` requires one). */
const ERROR_OF_STATUS: Readonly<Record<string, string>> = { TIMED_OUT: 'States.Timeout', ABORTED: 'Execution.Aborted', FAILED: 'States.Unknown' };

/** The workflow a state machine runs, from its name (the last part of its ARN). */
export function workflowIdOfMachine(stateMachineArn: string, namePrefix: string): string {
  const name = stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
  return name.startsWith(`${namePrefix}-`) ? name.slice(namePrefix.length + 1) : name;
}

const iso = (ms: number | null | undefined): string | undefined => (typeof ms === 'number' ? new Date(ms).toISOString() : undefined);

export async function recordExecutionEnd(deps: ExecutionEndedDeps, raw: unknown): Promise<ExecutionEndedOutput> {
  const event: ExecutionStatusChange = executionStatusChangeSchema().parse(raw);
  const d = event.detail;
  const runId = d.name;
  if (d.status === 'RUNNING' || d.status === 'PENDING_REDRIVE') return { runId, status: d.status, outcome: 'ignored' };
  const status: RunEndStatus = d.status;
  const at = iso(d.stopDate) ? new Date(d.stopDate!) : (deps.now ?? (() => new Date()))();
  const record = await recordRunEnd(deps.audit, {
    runId,
    status,
    redriveCount: d.redriveCount ?? 0,
    ...(d.error ? { error: d.error } : {}),
    ...(d.cause ? { cause: d.cause } : {}),
    via: STATUS_CHANGE_VIA,
    at,
  });
  // The workflow's end step wrote this end's record and announced it: nothing to add.
  if (record.data.via !== STATUS_CHANGE_VIA) return { runId, status, outcome: 'already' };
  // At least once, as the end steps announce: a delivery retried after the record was written announces again.
  if (status !== 'SUCCEEDED') {
    await deps.publisher.publish([
      aiosRunEvent(
        'aios.run.failed',
        {
          runId,
          workflowId: workflowIdOfMachine(d.stateMachineArn, deps.namePrefix),
          ...(iso(d.startDate) ? { startedAt: iso(d.startDate) } : {}),
          endedAt: at.toISOString(),
          error: d.error || ERROR_OF_STATUS[status],
          ...(d.cause ? { cause: d.cause } : {}),
          status,
        },
        at,
      ),
    ]);
  }
  return { runId, status, outcome: 'recorded' };
}
