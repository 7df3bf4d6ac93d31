/**
 * Batching and commit. Work is processed in batches: every transition of a
 * batch, its history events and changed frames, is written to SQLite in ONE
 * transaction, and only after it commits are its effects performed (invoke a
 * function, arm a timer, answer SendTaskSuccess). A crash therefore loses at
 * most uncommitted work, which is redone on restart.
 */
import type { Frame, FrameData } from './frame';
import { ChunkWriter } from './history-chunk';
import type { Effect, Run, Settle, Work } from './run';
import type { ExecutionStore } from './store';

/** What processes the work of a batch and recovers when it cannot. */
export interface BatchHost {
  process(work: Work): void;
  /** `work` threw: fails its execution; returns the error its request is answered with. */
  failWork(work: Work, error: unknown): unknown;
  perform(effect: Effect): void;
  /** The batch failed to commit: memory may be ahead of the database. */
  rollBack(waiting: Settle[], error: unknown): void;
  /** Ends `run` FAILED with States.Runtime after the engine itself threw on it. */
  failInside(run: Run | undefined, error: unknown): void;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

export class Batch {
  queue: Work[] = [];
  private flushScheduled = false;
  closed = false;
  readonly dirty = new Set<Frame>();
  effects: Effect[] = [];
  /** Transitions processed in the current batch. */
  steps = 0;
  /** The frame whose synchronous states are being stepped in a loop (goTo need not queue it). */
  inline: Frame | null = null;
  /** Executions started in this batch, their rows not yet written. */
  pendingRows: Run[] = [];
  /** Callbacks to run once the current batch has committed. */
  afterCommit: Settle[] = [];
  /** Runs with history events in the current batch (`run.chunk`), in order. */
  private chunked: Run[] = [];
  host!: BatchHost;

  constructor(
    private readonly store: ExecutionStore,
    private readonly runs: Map<string, Run>,
    /** Most transitions committed in one transaction (bounds event-loop blocking). */
    readonly maxBatch: number,
  ) {}

  enqueue(work: Work): void {
    this.queue.push(work);
    this.flushSoon();
  }

  flushSoon(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  persist(frame: Frame): void {
    this.dirty.add(frame);
  }

  setPhase(frame: Frame, phase: FrameData['phase']): void {
    frame.data.phase = phase;
    frame.gen++;
    this.dirty.add(frame);
  }

  /** Buffers a history event; the batch writes each execution's events as one chunk before it commits. */
  emit(
    run: Run,
    frame: Frame | null,
    type: string,
    details: Record<string, unknown> | string | null,
    payloadKey: string | null = null,
    payload: unknown = null,
    now = Date.now(),
  ): number {
    const id = ++run.lastEventId;
    const prev = frame ? frame.data.lastEventId || (frame.parent?.data.lastEventId ?? id - 1) : id - 1;
    let chunk = run.chunk;
    if (!chunk) {
      chunk = run.chunk = new ChunkWriter(id, now);
      this.chunked.push(run);
    }
    chunk.add(id, now, type, prev, details, payloadKey, payload);
    if (frame) frame.data.lastEventId = id;
    return id;
  }

  /** Processes queued work in one transaction, then performs its effects. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.queue.length === 0) return;
    const committed: Settle[] = [];
    this.afterCommit = committed;
    try {
      this.store.transaction(() => {
        this.steps = 0;
        while (this.queue.length > 0 && this.steps < this.maxBatch) {
          const batch = this.queue;
          this.queue = [];
          let i = 0;
          for (; i < batch.length && this.steps < this.maxBatch; i++, this.steps++) {
            const work = batch[i];
            try {
              this.host.process(work);
            } catch (error) {
              // One item that throws (an input too deep to walk, a bug) must not take the batch down.
              this.inline = null;
              const failure = this.host.failWork(work, error);
              if (work.onCommit) committed.push(() => work.onCommit!(failure));
              continue;
            }
            if (work.onCommit) committed.push(work.onCommit);
          }
          if (i < batch.length) this.queue = batch.slice(i).concat(this.queue);
        }
        this.writeDirty();
      });
    } catch (error) {
      this.host.rollBack(committed, error);
      return;
    }
    this.afterCommit = [];
    const effects = this.effects;
    this.effects = [];
    for (const effect of effects) this.host.perform(effect);
    for (const done of committed) done();
    if (this.queue.length > 0) this.flushSoon();
  }

  /** Forgets everything buffered for the failed batch; returns the queued work whose callers wait for an answer. */
  discard(): Work[] {
    const queued = this.queue.filter((w) => w.onCommit);
    this.afterCommit = [];
    this.effects = [];
    for (const run of this.chunked) run.chunk = undefined;
    this.chunked = [];
    this.dirty.clear();
    this.pendingRows = [];
    this.queue = [];
    return queued;
  }

  /** Drops `run` from the batch: it was never recorded and never will be. */
  forget(run: Run): void {
    this.pendingRows = this.pendingRows.filter((r) => r !== run);
    for (const frame of run.frames.values()) this.dirty.delete(frame);
  }

  private writeDirty(): void {
    // Frames are serialised before anything is written: a frame that cannot be (data nested past
    // what a recursive walk survives) fails its own execution, not the batch.
    const bodies = new Map<Frame, string>();
    for (const frame of this.dirty) {
      if (frame.dead) continue;
      try {
        bodies.set(frame, json(frame.data));
      } catch (error) {
        this.host.failInside(this.runs.get(frame.runArn), error);
        // Never written, whatever became of its run.
        frame.dead = true;
      }
    }
    for (const run of this.pendingRows) {
      const row = run.pendingRow!;
      // Started and closed in this batch: its chunk is its whole history, kept in its row.
      const whole = row.status !== 'RUNNING' && run.chunk && run.chunk.first === 1 ? run.chunk : undefined;
      this.store.insertExecution(row, whole ? whole.toString() : null);
      if (whole) run.chunk = undefined;
      run.pendingRow = undefined;
    }
    this.pendingRows = [];
    for (const run of this.chunked) {
      const chunk = run.chunk;
      if (!chunk) continue;
      run.chunk = undefined;
      this.store.insertChunk(run.id, chunk.first, chunk.last, chunk.toString());
    }
    this.chunked = [];
    for (const frame of this.dirty) {
      if (frame.dead) {
        // Never written (born and finished in this batch): nothing to delete.
        if (frame.stored) this.store.deleteFrame(frame.data.id);
      } else {
        this.store.putFrame(frame.data.id, frame.runArn, bodies.get(frame) ?? json(frame.data));
        frame.stored = true;
      }
    }
    this.dirty.clear();
  }
}
