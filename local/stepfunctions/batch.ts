/**
 * Batching and commit. Work is processed in batches: every transition of a
 * batch, its history events and changed frames, is written to SQLite in ONE
 * transaction, and only after it commits are its effects performed (invoke a
 * function, arm a timer, answer SendTaskSuccess). A crash therefore loses at
 * most uncommitted work, which is redone on restart.
 */
import type { Frame, FrameData } from './frame';
import { frameText } from './frame-text';
import { ChunkWriter, type EventDetails } from './history-chunk';
import { forEachFrame, type Effect, type Run, type Settle, type Work } from './run';
import { expandStarted } from './row-compaction';
import type { ExecutionStore } from './store';

/**
 * Units of work in a row that share one clock reading (Batch.clock, nextWork): each takes a few microseconds, so their events
 * keep the millisecond they happen in but for a run of them that crosses one; a batch never shares a reading with the next.
 */
const WORK_PER_CLOCK_READ = 16;

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

/**
 * Most history kept in an execution's own row: a row rewritten per batch
 * stays well within one 4 KiB page (measured: a 100-state chain writes
 * ~1.2 KB). Was 3,000 while task events stored their constant details in full
 * (history-chunk.ts, DETAIL_TEMPLATES): the same events now take ~a sixth less.
 */
const INLINE_HISTORY_CHARS = 2000;

/**
 * Steps a work item counts against the batch bound, besides the states it steps through inline (each counts one as it is
 * entered): a start or an `enter` is only those states, so a Map's children entered in one batch count one step each, not two.
 */
function counted(work: Work): number {
  if (work.kind === 'start') return 0;
  return work.kind === 'frame' && (work.event.type === 'submitted' || work.event.type === 'enter') ? 0 : 1;
}

/**
 * The text serialise() made of `frame` in this batch, taken (a text left on a frame would keep it alive); made now if it
 * made none. On the frame rather than in a map per batch: a map of 1,000 waiting frames grew and rehashed every batch.
 */
function takeText(frame: Frame, previous?: FrameData): string {
  const text = frame.text;
  if (text === undefined) return frameText(frame.data, previous);
  frame.text = undefined;
  return text;
}

export class Batch {
  queue: Work[] = [];
  private flushScheduled = false;
  closed = false;
  /** Frames to write with the batch (persist, unpersist); each holds the batch's `dirtyEpoch` while in it. */
  private readonly dirty = new Set<Frame>();
  /**
   * Changes whenever `dirty` is emptied: a frame whose `dirtyIn` holds the current value is in the set. A frame stepped through
   * a 100-state chain, or a Map's child through its task, was added at every step: a hash lookup each.
   */
  private dirtyEpoch = 1;
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
  /** A batch is being processed: clock() may keep its reading for the step. */
  private processing = false;
  /** The clock read of the step being processed, 0 until clock() reads it (see clock()). */
  private stepNow = 0;
  /** Units of work begun on the current clock reading (see nextWork). */
  private workOnClock = 0;

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

  /**
   * The time of the step being processed: read once per unit of work or state stepped (nextStep), and shared by what the
   * step records (its events, its task's deadlines, the execution's close). Date.now() costs ~70 ns here, and a task-token
   * execution read it 14 times; one step takes microseconds, so its events keep the millisecond they happen in (but for a
   * step that crosses one). One reading for all, so the events of an execution stay in time order.
   */
  clock(): number {
    if (this.stepNow !== 0) return this.stepNow;
    const now = Date.now();
    if (this.processing) this.stepNow = now;
    return now;
  }

  /** The step being processed is over: the next clock() reads the clock anew. */
  nextStep(): void {
    this.stepNow = 0;
  }

  /**
   * A unit of work begins: it shares the clock reading of the work before it but every WORK_PER_CLOCK_READ-th (which reads
   * anew). A Map over 1,000 items is 2,000 units of work (each child entered, each result), one state each, and read the
   * clock for every one: 2,000 Date.now() calls of ~70–130 ns here (a loop's cost), against ~4.5 ms of CPU for the Map.
   */
  private nextWork(): void {
    if (++this.workOnClock < WORK_PER_CLOCK_READ) return;
    this.workOnClock = 0;
    this.stepNow = 0;
  }

  /** Writes `frame` with the batch. */
  persist(frame: Frame): void {
    if (frame.dirtyIn === this.dirtyEpoch) return;
    frame.dirtyIn = this.dirtyEpoch;
    this.dirty.add(frame);
  }

  /** Leaves `frame` out of the batch's writes; whether it was in them. */
  unpersist(frame: Frame): boolean {
    frame.dirtyIn = 0;
    return this.dirty.delete(frame);
  }

  setPhase(frame: Frame, phase: FrameData['phase']): void {
    frame.data.phase = phase;
    frame.gen++;
    this.persist(frame);
  }

  /** Empties the frames to write (a new epoch: no frame is marked as in them). */
  private clearDirty(): void {
    this.dirty.clear();
    this.dirtyEpoch++;
  }

  /** Buffers a history event; the batch writes each execution's events as one chunk before it commits. */
  emit(
    run: Run,
    frame: Frame | null,
    type: string,
    details: EventDetails,
    payloadKey: string | null = null,
    payload: unknown = null,
    now = this.clock(),
  ): number {
    const id = ++run.lastEventId;
    const prev = frame ? frame.data.lastEventId || (frame.parent?.data.lastEventId ?? id - 1) : id - 1;
    let chunk = run.chunk;
    if (!chunk) {
      chunk = run.chunk = new ChunkWriter(id, now);
      this.chunked.push(run);
    }
    chunk.addAt(id, now - chunk.base, type, prev, details, payloadKey, payload);
    if (frame) frame.data.lastEventId = id;
    return id;
  }

  /**
   * PassStateEntered then PassStateExited at `now`, the output the input (a Pass that forwards it): the events emit()
   * would buffer for the two, in one call. Returns the id of the entered event. `next`: see ChunkWriter.addPass.
   */
  emitPass(run: Run, frame: Frame, name: string, payload: unknown, now: number, next?: string): number {
    const id = ++run.lastEventId;
    const prev = frame.data.lastEventId || (frame.parent?.data.lastEventId ?? id - 1);
    let chunk = run.chunk;
    if (!chunk) {
      chunk = run.chunk = new ChunkWriter(id, now);
      this.chunked.push(run);
    }
    chunk.addPassAt(id, now - chunk.base, prev, name, payload, next);
    frame.data.lastEventId = ++run.lastEventId;
    return id;
  }

  /** Processes queued work in one transaction, then performs its effects. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.queue.length === 0) return;
    const committed: Settle[] = [];
    this.afterCommit = committed;
    this.processing = true;
    try {
      this.store.transaction(() => {
        this.steps = 0;
        while (this.queue.length > 0 && this.steps < this.maxBatch) {
          const batch = this.queue;
          this.queue = [];
          let i = 0;
          // A function accepting a task-token invocation is no transition (one history event, no frame written): it
          // does not count against the bound, so the SendTaskSuccess calls queued behind it commit with it. (Counted
          // after the work, as the states it steps through inline count theirs during it.)
          for (; i < batch.length && this.steps < this.maxBatch; i++, this.steps += counted(batch[i - 1])) {
            const work = batch[i];
            this.nextWork();
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
        // What writing fails (a frame that cannot be serialised fails its execution) happens now, not at the last step.
        this.stepNow = 0;
        this.writeDirty();
      });
    } catch (error) {
      this.host.rollBack(committed, error);
      return;
    } finally {
      this.processing = false;
      this.stepNow = 0;
      this.workOnClock = 0;
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
    this.clearDirty();
    this.pendingRows = [];
    this.queue = [];
    return queued;
  }

  /** Drops `run` from the batch: it was never recorded and never will be. */
  forget(run: Run): void {
    this.pendingRows = this.pendingRows.filter((r) => r !== run);
    forEachFrame(run, (frame) => this.unpersist(frame));
  }

  private writeBrood(children: Frame[]): void {
    if (children.length === 1) {
      const [frame] = children;
      this.store.putFrame(frame.data.id, frame.runArn, takeText(frame));
      frame.stored = true;
      return;
    }
    let last = 0;
    const texts: string[] = [];
    for (const child of children) {
      last = Math.max(last, child.data.id);
      texts.push(takeText(child, texts.length === 0 ? undefined : children[texts.length - 1].data));
    }
    const brood = { id: -last, live: children.length };
    // The brackets go on the first and last texts, so the row is join's flat string: `[${joined}]` was a pair of strings
    // that binding copied into one again (a Map over 1,000 items: ~145 KB more per Map, in the large-object space).
    texts[0] = `[${texts[0]}`;
    texts[texts.length - 1] = `${texts[texts.length - 1]}]`;
    this.store.putFrame(brood.id, children[0].runArn, texts.join(','));
    for (const child of children) child.brood = brood;
  }

  private writeDirty(): void {
    // Frames are serialised before anything is written: a frame that cannot be (data nested past
    // what a recursive walk survives) fails its own execution, not the batch.
    // Children forked in this batch, by parent: written together, each after the first as what differs from the one before (see Brood).
    let forked: Map<Frame, Frame[]> | undefined;
    for (const frame of this.dirty) {
      if (frame.dead) continue;
      if (frame.parent && !frame.stored && !frame.brood) {
        forked ??= new Map();
        const siblings = forked.get(frame.parent);
        if (siblings) siblings.push(frame);
        else forked.set(frame.parent, [frame]);
      } else this.serialise(frame);
    }
    if (forked) for (const children of forked.values()) children.forEach((child, i) => this.serialise(child, i === 0 ? undefined : children[i - 1].data));
    for (const run of this.pendingRows) {
      const row = run.pendingRow!;
      // A new execution's first chunk goes in its row (for most, that is all the history they ever have).
      const chunk = run.chunk;
      const text = chunk ? chunk.toString() : null;
      const inline = text !== null && text.length <= INLINE_HISTORY_CHARS ? text : null;
      // Its top-level frame goes in the same row (store.putRoot): a task waiting on a token costs no frames row.
      const root = run.root;
      const rootBody = !root.dead && this.unpersist(root) ? takeText(root) : null;
      this.store.queueExecution(row, inline, rootBody);
      if (inline !== null) {
        run.chunk = undefined;
        run.inlineHistory = inline.length;
      } else {
        run.inlineHistory = -1;
        // Too long for the row: the history table gets it with its ExecutionStarted details in full (ELIDED_STARTED).
        if (chunk && text !== null) {
          const full = chunk.rewrittenHead((head) => expandStarted(head, row.input, row.role_arn, row.sm_arn));
          this.store.insertChunk(run.id, chunk.first, chunk.last, full);
          run.chunk = undefined;
        }
      }
      run.pendingRow = undefined;
    }
    this.store.flushExecutions();
    this.pendingRows = [];
    for (const run of this.chunked) {
      const chunk = run.chunk;
      const closing = run.closing;
      run.closing = undefined;
      if (!chunk) {
        if (closing) this.store.closeExecution(closing);
        continue;
      }
      run.chunk = undefined;
      const text = chunk.toString();
      if (run.inlineHistory >= 0 && run.inlineHistory + text.length < INLINE_HISTORY_CHARS) {
        run.inlineHistory += text.length + 1;
        this.store.insertChunk(run.id, chunk.first, chunk.last, text, true, closing);
        continue;
      }
      run.inlineHistory = -1;
      this.store.insertChunk(run.id, chunk.first, chunk.last, text);
      if (closing) this.store.closeExecution(closing);
    }
    this.chunked = [];
    for (const frame of this.dirty) {
      if (frame.parent === null) {
        // A top-level frame lives in its execution's row, cleared when the execution closes.
        const run = frame.dead ? undefined : this.runs.get(frame.runArn);
        if (run) this.store.putRoot(run.id, takeText(frame));
      } else if (frame.dead) {
        // Never written (born and finished in this batch): nothing to delete.
        if (frame.stored) this.store.deleteFrame(frame.data.id);
        const brood = frame.brood;
        if (brood && --brood.live === 0) this.store.deleteFrame(brood.id);
        frame.stored = false;
        frame.brood = null;
      } else if (frame.parent && !frame.stored && !frame.brood) {
        // Written with its siblings below.
      } else {
        this.store.putFrame(frame.data.id, frame.runArn, takeText(frame));
        frame.stored = true;
      }
    }
    // A group whose execution failed while serialised (all its children then dead) is not written.
    if (forked) for (const children of forked.values()) if (!children[0].dead) this.writeBrood(children);
    this.clearDirty();
  }

  /** The stored text of `frame` (`previous`: see frameText); a frame that cannot be serialised fails its execution. */
  private serialise(frame: Frame, previous?: FrameData): void {
    if (frame.dead) return;
    try {
      frame.text = frameText(frame.data, previous);
    } catch (error) {
      this.host.failInside(this.runs.get(frame.runArn), error);
      // Never written, whatever became of its run.
      frame.dead = true;
    }
  }
}
