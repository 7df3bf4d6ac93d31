/**
 * Recovery: continuing the executions the database says are RUNNING (the
 * restart path), reloading from the last commit when a batch fails to
 * commit, and failing alone an execution the engine itself threw on.
 */
import { StatesRuntimeError } from '../asl/errors';
import { mapProcessor } from '../asl/states/map';
import type { EngineCore } from './core';
import type { Definitions } from './definitions';
import { Frame, NO_CHILDREN, type Brood, type FrameData } from './frame';
import { parseBrood, parseFrame } from './frame-text';
import { addForked, ENTER, forEachFrame, runOfRow, type Run, type Settle, type Work } from './run';
import type { ExecutionRow } from './store';
import type { Transitions } from './transitions';

export class Recovery {
  constructor(
    private readonly core: EngineCore,
    private readonly transitions: Transitions,
    private readonly definitions: Definitions,
  ) {}

  /** Continues every RUNNING execution found in the store; returns how many were found. */
  resume(): number {
    const { store, runs } = this.core;
    const rows = store.runningExecutions();
    // All frames below the top level in one read (they belong to RUNNING executions only), grouped by execution;
    // each execution's top-level frame is in its row.
    const framesOf = new Map<string, { id: number; body: string }[]>();
    for (const frame of store.childFrames()) {
      const list = framesOf.get(frame.exec);
      if (list) list.push(frame);
      else framesOf.set(frame.exec, [frame]);
    }
    const orphans: number[] = [];
    for (const row of rows) {
      const frames = framesOf.get(row.arn) ?? [];
      framesOf.delete(row.arn);
      if (runs.has(row.arn)) continue;
      orphans.push(...this.resumeExecution(row, row.root, frames));
    }
    // Frames of executions no longer running, or cut off from their tree: nothing will ever read them.
    for (const frames of framesOf.values()) for (const frame of frames) orphans.push(frame.id);
    if (orphans.length > 0) store.transaction(() => orphans.forEach((id) => store.deleteFrame(id)));
    this.core.batch.flushSoon();
    return rows.length;
  }

  /** Rebuilds one execution from its stored frames; returns the ids of stored frames (frames rows) it could not place. */
  private resumeExecution(row: ExecutionRow, root: string | null, rows: { id: number; body: string }[]): number[] {
    const { store, timers, batch } = this.core;
    const text = store.getDefinition(row.def_hash);
    // Rows of children written together first: a child's own row, written later, replaces its entry there.
    const datas = new Map<number, FrameData>();
    const broodOf = new Map<number, Brood>();
    for (const r of rows) {
      if (r.id >= 0) continue;
      const brood: Brood = { id: r.id, live: 0 };
      for (const d of parseBrood(r.body)) {
        datas.set(d.id, d);
        broodOf.set(d.id, brood);
      }
    }
    const own = new Set<number>();
    for (const r of rows) {
      if (r.id < 0) continue;
      const d = parseFrame(r.body);
      datas.set(d.id, d);
      own.add(d.id);
    }
    const rootData = root === null ? undefined : parseFrame(root);
    if (rootData) {
      datas.set(rootData.id, rootData);
      own.add(rootData.id);
    }
    if (!text || !rootData) {
      store.closeExecution({
        id: row.id,
        status: 'FAILED',
        stopped: Date.now(),
        output: null,
        error: 'States.Runtime',
        cause: 'The execution could not be resumed: its stored state is incomplete',
      });
      return rows.map((r) => r.id);
    }
    const run = runOfRow(row, {
      def: this.definitions.get(row.def_hash, text),
      lastEventId: store.maxEventId(row.id),
      rootData,
      redriveCount: store.getRedrive(row.id)?.count ?? 0,
    });
    const byId = new Map<number, Frame>([[run.root.data.id, run.root]]);
    const unplaced: number[] = [];
    // Parents always have smaller ids than their children, so one ordered pass links the tree.
    for (const data of [...datas.values()].sort((a, b) => a.id - b.id)) {
      const parent = data.parent === null ? undefined : byId.get(data.parent);
      if (!parent) {
        if (data !== rootData && own.has(data.id)) unplaced.push(data.id);
        continue;
      }
      const parentState = parent.def.States[parent.data.state];
      const def = parentState.Type === 'Parallel' ? parentState.Branches![data.idx] : mapProcessor(parentState);
      const frame = new Frame(data, row.arn, parent, def);
      frame.stored = own.has(data.id);
      frame.brood = broodOf.get(data.id) ?? null;
      if (frame.brood) frame.brood.live++;
      if (parent.children === NO_CHILDREN) parent.children = [];
      parent.children[data.idx] = frame;
      byId.set(data.id, frame);
      addForked(run, frame);
    }
    run.root.stored = true;
    // A row of children none of which could be placed is read by no one.
    for (const brood of new Set(broodOf.values())) if (brood.live === 0) unplaced.push(brood.id);
    run.inputText = row.input;
    this.core.runs.set(row.arn, run);
    if (row.timeout_at !== null) timers.armExecutionTimeout(run, row.timeout_at);
    this.markSubmitted(run.id, byId.values());
    const { tasks, evaluation } = this.transitions;
    for (const frame of byId.values()) {
      const d = frame.data;
      switch (d.phase) {
        case 'ready':
          batch.queue.push({ kind: 'frame', frame, gen: frame.gen, event: ENTER });
          break;
        case 'wait':
        case 'retry':
          timers.set(`${d.id}:due`, frame, frame.gen, d.dueAt ?? Date.now(), { type: 'timer' });
          break;
        case 'evaluating':
          evaluation.run(frame, frame.gen);
          break;
        case 'task': {
          const task = d.task!;
          if (task.token) tasks.tokens.set(task.token, frame);
          if (typeof task.timeoutAt === 'number') timers.set(`${d.id}:timeout`, frame, frame.gen, task.timeoutAt, { type: 'taskTimeout', heartbeat: false });
          if (typeof task.heartbeatAt === 'number')
            timers.set(`${d.id}:heartbeat`, frame, frame.gen, task.heartbeatAt, { type: 'taskTimeout', heartbeat: true });
          // At least once: an invocation that may not have completed before the crash runs again.
          if (!task.token || !task.submitted) tasks.invoke(frame, frame.gen);
          break;
        }
        default:
          break;
      }
    }
    return unplaced;
  }

  /**
   * A `.waitForTaskToken` function's acceptance is recorded by its TaskSubmitted
   * event alone (its frame is not rewritten for it): a waiting frame whose last
   * event is followed by its TaskSubmitted is not invoked again.
   */
  private markSubmitted(exec: number, frames: Iterable<Frame>): void {
    const waiting = [...frames].filter((f) => f.data.phase === 'task' && f.data.task?.token && !f.data.task.submitted);
    if (waiting.length === 0) return;
    const from = waiting.reduce((min, f) => Math.min(min, f.data.lastEventId), Number.MAX_SAFE_INTEGER);
    const submittedAfter = new Map<number, number>();
    for (const [id, , type, prev] of this.core.store.history(exec, from, Number.MAX_SAFE_INTEGER, false))
      if (type === 'TaskSubmitted') submittedAfter.set(prev, id);
    for (const frame of waiting) {
      const id = submittedAfter.get(frame.data.lastEventId);
      if (id === undefined) continue;
      frame.data.task!.submitted = true;
      frame.data.lastEventId = id;
    }
  }

  /**
   * A batch failed to commit: memory may be ahead of the database. Drop the
   * in-memory state and reload it from the last commit (the restart path);
   * callers waiting on this batch get the error.
   */
  rollBack(waiting: Settle[], error: unknown): void {
    process.stderr.write(`stepfunctions: a batch failed to commit, reloading from the database: ${String(error)}\n`);
    const { runs, timers, store } = this.core;
    const queued = this.core.batch.discard();
    timers.clearAll(runs.values());
    for (const run of runs.values()) forEachFrame(run, (frame) => (frame.dead = true));
    runs.clear();
    this.transitions.tasks.tokens.clear();
    this.core.nextFrameId = Math.max(this.core.nextFrameId, store.maxFrameId());
    for (const done of [...waiting, ...queued.map((w) => w.onCommit!)]) done(error);
    this.resume();
  }

  /**
   * A work item threw mid-transition: its execution's memory may be half-updated, so the
   * execution ends FAILED with States.Runtime in this batch (its history so far is kept).
   * Returns the error its request is answered with.
   */
  failWork(work: Work, error: unknown): StatesRuntimeError {
    const run = work.kind === 'frame' ? this.core.runs.get(work.frame.runArn) : work.run;
    const failure = this.failInside(run, error);
    // A start that threw before its row was queued has nothing to record: that execution never existed.
    if (work.kind === 'start' && !this.core.batch.pendingRows.includes(work.run)) this.core.runs.delete(work.run.arn);
    return failure;
  }

  /** Ends `run` FAILED with States.Runtime after the engine itself threw on it. */
  failInside(run: Run | undefined, error: unknown): StatesRuntimeError {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const failure = new StatesRuntimeError(`The execution failed inside the local engine: ${reason}`);
    if (!run || run.status !== 'RUNNING') return failure;
    process.stderr.write(`stepfunctions: ${run.arn} failed with States.Runtime: ${reason}\n`);
    try {
      this.transitions.closings.close(run, 'FAILED', { error: failure.name, cause: failure.causeText });
    } catch {
      // Not even its failure could be recorded: forget it here; a stored row stays RUNNING and resumes.
      this.core.batch.forget(run);
      this.core.runs.delete(run.arn);
    }
    return failure;
  }
}
