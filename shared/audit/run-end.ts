/**
 * How a run ended, as its `run.ended` record says it: written by the
 * workflow's own end steps (events/emit-run-event.ts) when it succeeds or
 * catches its failure, and from Step Functions' status change event
 * (events/execution-ended.ts) when it was stopped, timed out, or failed
 * where no Catch reaches its end step. Both write through `recordRunEnd` with
 * the same once key, so whichever comes second finds the first: one record
 * per end, however often either is retried or delivered.
 */
import type { AuditWriter } from './audit-log';
import type { AuditData, AuditRecord } from './record';

/** How an execution can end. */
export type RunEndStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** `run.ended` records written from the status change event say so (the workflow did not record its end itself). */
export const STATUS_CHANGE_VIA = 'status-change';

/** A cause kept in the trail: Step Functions allows 32,768 characters; the record and its head item carry it twice. */
export const MAX_CAUSE_CHARS = 2000;

/**
 * The once key of a run's end. A run succeeds once (a redrive starts only from a failure); every other end is
 * keyed by the redrive it ended (`$$.Execution.RedriveCount`, the event's `redriveCount`), so a redriven run that
 * fails again keeps each failure, and the two writers of one end share its key.
 *
 * @example runEndedOnceKey('ABORTED', 0) // 'run.ended:ABORTED:0'
 */
export function runEndedOnceKey(status: RunEndStatus, redriveCount: number): string {
  return status === 'SUCCEEDED' ? 'run.ended:SUCCEEDED' : `run.ended:${status}:${redriveCount}`;
}

export interface RunEnd {
  runId: string;
  status: RunEndStatus;
  redriveCount: number;
  error?: string;
  cause?: string;
  /** Set when Step Functions reported the end (the status change event), not the workflow's own step. */
  via?: typeof STATUS_CHANGE_VIA;
  at?: Date;
}

/**
 * Appends the run's `run.ended` record unless its end was recorded already; returns the record the trail holds for
 * this end (the earlier one when there was one).
 */
export async function recordRunEnd(audit: AuditWriter, end: RunEnd): Promise<AuditRecord<'run.ended'>> {
  const data: AuditData<'run.ended'> = {
    status: end.status,
    ...(end.error ? { error: end.error } : {}),
    ...(end.cause ? { cause: end.cause.slice(0, MAX_CAUSE_CHARS) } : {}),
    ...(end.via ? { via: end.via } : {}),
  };
  return audit.appendOnce(end.runId, runEndedOnceKey(end.status, end.redriveCount), 'run.ended', data, ...(end.at ? [end.at] : []));
}
