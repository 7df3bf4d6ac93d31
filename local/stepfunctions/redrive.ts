/**
 * RedriveExecution's rules: which closed executions may restart, and from
 * where. https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 * A FAILED, TIMED_OUT or ABORTED Standard execution started within the last
 * 14 days restarts with its own definition from the top-level state it was in
 * when it closed, keeping its ARN, history and variables. An Inline Map or
 * Parallel state reruns only the iterations and branches that failed or were
 * aborted (API_RedriveExecution); the others keep their results.
 */
import type { ForkRedrive, Frame, RedrivePoint } from './frame';
import type { ExecutionRow } from './store';

export type { RedrivePoint };

/** Where `frame` would continue on a redrive (its children's points too, when it is in a Map or Parallel state). */
export function redrivePoint(frame: Frame): RedrivePoint {
  const d = frame.data;
  const fork = d.phase === 'fork' && d.fork ? forkRedrive(frame) : d.failedFork;
  return { state: d.state, input: d.input, ...(d.vars ? { vars: d.vars } : {}), ...(fork ? { fork } : {}) };
}

/** A running fork's children as a redrive would continue them. */
export function forkRedrive(frame: Frame): ForkRedrive | undefined {
  const fork = frame.data.fork;
  if (!fork || frame.children.length !== fork.total) return undefined;
  return {
    kind: fork.kind,
    children: frame.children.map((c) => (c.data.phase === 'done' ? { output: c.data.output ?? null } : { point: redrivePoint(c) })),
    maxConcurrency: fork.maxConcurrency,
    toleratedCount: fork.toleratedCount,
    toleratedPercentage: fork.toleratedPercentage,
  };
}

export interface RedriveRecord {
  point: RedrivePoint;
  count: number;
  redrivenAt: number | null;
}

export const REDRIVE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const REDRIVABLE = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** Why an execution cannot be redriven now, or null when it can. */
export function redriveRefusal(row: ExecutionRow, machineType: string | undefined, record: RedriveRecord | undefined, now: number): string | null {
  if (!REDRIVABLE.has(row.status)) return `Execution with status ${row.status} cannot be redriven: only FAILED, TIMED_OUT or ABORTED executions can`;
  if (machineType === 'EXPRESS') return 'Express executions cannot be redriven';
  if (now - row.started > REDRIVE_WINDOW_MS) return 'Execution started more than 14 days ago and can no longer be redriven';
  if (!record) return 'Execution has no state to redrive from';
  return null;
}

/** DescribeExecution's redrive fields. */
export function redriveStatus(
  row: ExecutionRow,
  machineType: string | undefined,
  record: RedriveRecord | undefined,
  now: number,
): { redriveCount: number; redriveStatus: string; redriveStatusReason?: string; redriveDate?: number } {
  const reason = redriveRefusal(row, machineType, record, now);
  return {
    redriveCount: record?.count ?? 0,
    redriveStatus: reason ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
    ...(reason && row.status !== 'RUNNING' ? { redriveStatusReason: reason } : {}),
    ...(record?.redrivenAt ? { redriveDate: record.redrivenAt / 1000 } : {}),
  };
}
