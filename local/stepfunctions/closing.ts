/**
 * How an execution ends: its row closed, its last history event, where a
 * redrive would continue, its frames, tokens and timers dropped, and whoever
 * waits on it answered once the batch has committed.
 */
import type { JsonValue } from '../asl/types';
import type { EngineCore } from './core';
import { sfnErrors } from './errors';
import { constantDetails } from './history-chunk';
import { redrivePoint } from './redrive';
import type { Frame } from './frame';
import { forEachFrame, pendingAnswer, resolverOfLast, type ExecutionStatus, type Run, type Settle } from './run';
import type { ClosedRow, ExecutionRow } from './store';
import type { TaskInvocation } from './task-invocation';

const SUCCEEDED = constantDetails({ outputDetails: { truncated: false } });
/** How many closed executions waitFor answers from memory (at least; up to twice as many). */
const RECENT = 1000;

export type RunResult = { output?: JsonValue; error?: string; cause?: string };

type CloseWaiter = (row: ExecutionRow) => void;

/** Told of each execution that closed, once its batch has committed: its row and how many times it was redriven. */
export type ClosedListener = (row: ExecutionRow, redriveCount: number) => void;

export class Closings {
  /**
   * Who waits for each running execution: one caller as its function (most executions have at most one: an array per
   * waiting execution was ~200 bytes kept through its wait, copied by every scavenge meanwhile), more as an array.
   */
  private readonly closeWaiters = new Map<string, CloseWaiter | CloseWaiter[]>();
  /** The last executions to close, so waitFor rarely needs a query. */
  readonly recentlyClosed = new Map<string, ExecutionRow>();
  private readonly batch;
  /** Unset in the engine alone (its bench): then a close keeps nothing for it. */
  closedListener?: ClosedListener;

  constructor(
    private readonly core: EngineCore,
    private readonly tasks: TaskInvocation,
  ) {
    this.batch = core.batch;
  }

  close(run: Run, status: ExecutionStatus, result: RunResult): void {
    const stopped = this.batch.clock();
    const output = status === 'SUCCEEDED' ? JSON.stringify(result.output ?? null) : null;
    const error = result.error ?? null;
    const cause = result.cause ?? null;
    const pending = run.pendingRow;
    // Written at the end of the batch, with the execution's last chunk of history (batch.ts).
    if (pending) {
      pending.status = status;
      pending.stopped = stopped;
      pending.output = output;
      pending.error = error;
      pending.cause = cause;
    }
    run.status = status;
    if (status !== 'SUCCEEDED') this.recordRedrivePoint(run);
    if (status === 'SUCCEEDED') this.batch.emit(run, null, 'ExecutionSucceeded', SUCCEEDED, 'output', result.output ?? null);
    else {
      const type = status === 'FAILED' ? 'ExecutionFailed' : status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut';
      const details: Record<string, string> = {};
      if (result.error) details.error = result.error;
      if (result.cause) details.cause = result.cause;
      this.batch.emit(run, null, type, details);
    }
    forEachFrame(run, this.dropFrame);
    if (run.timeoutTimer) clearTimeout(run.timeoutTimer);
    this.core.runs.delete(run.arn);
    // The closed row as waitFor answers it, and what the batch writes to the row (a ClosedRow's fields are among its own).
    const row: ExecutionRow = {
      id: run.id,
      arn: run.arn,
      sm_arn: run.ctxMachine.Id,
      name: run.name,
      def_hash: '',
      role_arn: run.ctxExecution.RoleArn,
      input: run.inputText,
      status,
      started: run.started,
      stopped,
      output,
      error,
      cause,
      timeout_at: null,
    };
    if (!pending) run.closing = row as ClosedRow;
    const waiters = this.closeWaiters.get(run.arn);
    if (waiters !== undefined) this.closeWaiters.delete(run.arn);
    // Visible (and waiters resolved) once this batch has committed: one callback for all the batch closes.
    if (this.publishIn !== this.batch.afterCommit) {
      this.publishIn = this.batch.afterCommit;
      this.publishIn.push(this.publish);
    }
    this.closedRows.push(row);
    this.closedWaiters.push(waiters);
    if (this.closedListener) this.closedRedrives.push(run.ctxExecution.RedriveCount);
  }

  /**
   * The executions closed in the batch being written and who waits on each, published by one callback once it has
   * committed (a closure per closing execution was garbage of its own); `publishIn`: the list of the batch's callbacks
   * that holds it.
   */
  private closedRows: ExecutionRow[] = [];
  private closedWaiters: (CloseWaiter | CloseWaiter[] | undefined)[] = [];
  private closedRedrives: number[] = [];
  private publishIn: Settle[] | null = null;
  private readonly publish = (): void => {
    const rows = this.closedRows;
    const waiting = this.closedWaiters;
    const redrives = this.closedRedrives;
    this.closedRows = [];
    this.closedWaiters = [];
    if (redrives.length > 0) this.closedRedrives = [];
    this.publishIn = null;
    const listener = this.closedListener;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (this.recentlyClosed.size >= 2 * RECENT) this.forgetOldest();
      this.recentlyClosed.set(row.arn, row);
      const waiters = waiting[i];
      if (typeof waiters === 'function') waiters(row);
      else if (waiters) for (const w of waiters) w(row);
      if (listener) this.tell(listener, row, redrives[i] ?? 0);
    }
  };

  /** A listener that throws is reported, never lets the batch's other closes go unpublished. */
  private tell(listener: ClosedListener, row: ExecutionRow, redriveCount: number): void {
    try {
      listener(row, redriveCount);
    } catch (error) {
      process.stderr.write(`stepfunctions: the listener of closed executions failed on ${row.arn}: ${(error as Error).message}\n`);
    }
  }

  /** Keeps the last RECENT closed: dropped a thousand at a time (an iterator per close was garbage of its own). */
  private forgetOldest(): void {
    let n = this.recentlyClosed.size - RECENT;
    for (const arn of this.recentlyClosed.keys()) {
      if (n-- <= 0) break;
      this.recentlyClosed.delete(arn);
    }
  }

  private readonly dropFrame = (frame: Frame): void => this.drop(frame);

  /** A frame of a closed execution: dead, its timers and token gone, its row (if it has one) deleted with the batch. */
  private drop(frame: Frame): void {
    frame.dead = true;
    this.core.timers.clearFrame(frame);
    if (frame.data.task?.token) this.tasks.tokens.delete(frame.data.task.token);
    // Deleted by its key: frames have no index by execution to maintain on every write.
    if (frame.stored || frame.brood) this.batch.persist(frame);
    else this.batch.unpersist(frame);
  }

  /** Where a redrive would continue: the top-level state the execution closed in (and, in a Map or Parallel, its unfinished children). */
  private recordRedrivePoint(run: Run): void {
    // Data too deep to serialise (the reason such a run fails) leaves no redrive point: the failure itself must still be recorded.
    let point: string | undefined;
    try {
      point = JSON.stringify(redrivePoint(run.root));
    } catch {
      point = undefined;
    }
    if (point !== undefined) this.core.store.putRedrivePoint(run.id, point);
  }

  /** Resolves with the execution's row once it is no longer RUNNING. */
  waitFor(arn: string): Promise<ExecutionRow> {
    const recent = this.recentlyClosed.get(arn);
    if (recent) return Promise.resolve(recent);
    // Running in this process: it closes through close(), which resolves waiters; no query needed.
    if (!this.core.runs.has(arn)) {
      const row = this.core.store.getExecution(arn);
      if (!row) return Promise.reject(sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`));
      if (row.status !== 'RUNNING') return Promise.resolve(row);
    }
    const answer = pendingAnswer<ExecutionRow>();
    const resolve = resolverOfLast<ExecutionRow>();
    const waiters = this.closeWaiters.get(arn);
    if (waiters === undefined) this.closeWaiters.set(arn, resolve);
    else if (typeof waiters === 'function') this.closeWaiters.set(arn, [waiters, resolve]);
    else waiters.push(resolve);
    return answer;
  }
}
