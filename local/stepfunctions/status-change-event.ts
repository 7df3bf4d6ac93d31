/**
 * Step Functions' "Execution Status Change" event, as the service sends it to
 * the account's default EventBridge bus when a Standard execution ends
 * (EventBridge reference, "AWS Step Functions events"; the Step Functions
 * guide's event examples): start and stop as epoch milliseconds, input and
 * output as JSON text, the error and cause of a failure, timeout or stop, and
 * the redrive fields. Only ends are sent here (AWS also sends RUNNING): the
 * local runtime sends it from the engine's closed executions.
 */
import { EXECUTION_STATUS_CHANGE } from '../../shared/contracts/execution-status-change';
import type { ExecutionRow } from './store';

export interface ServiceEvent {
  source: string;
  detailType: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** The event of a closed execution; `redrivenAt` (epoch ms) when it was redriven. */
export function executionStatusChange(row: ExecutionRow, redriveCount: number, redrivenAt: number | null = null): ServiceEvent {
  const succeeded = row.status === 'SUCCEEDED';
  return {
    source: EXECUTION_STATUS_CHANGE.source,
    detailType: EXECUTION_STATUS_CHANGE.detailType,
    resources: [row.arn],
    detail: {
      executionArn: row.arn,
      stateMachineArn: row.sm_arn,
      name: row.name,
      status: row.status,
      startDate: row.started,
      stopDate: row.stopped,
      input: row.input,
      inputDetails: { included: true },
      output: row.output,
      outputDetails: succeeded ? { included: true } : null,
      error: row.error || null,
      cause: row.cause || null,
      redriveCount,
      redriveDate: redrivenAt,
      redriveStatus: succeeded ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
      redriveStatusReason: succeeded ? 'Execution is SUCCEEDED and cannot be redriven' : null,
    },
  };
}
