/**
 * A frame is one thread of control: the execution's top level, one Parallel
 * branch or one Map iteration. Its `data` is exactly what is persisted, so a
 * restart rebuilds the tree of frames and continues each from its phase.
 */
import type { JsonValue, MachineDefinition, StateDefinition, TaskCall } from '../asl';

export type FramePhase =
  /** Map iteration not started yet (MaxConcurrency). */
  | 'pending'
  /** About to enter (fresh) or re-enter (retry) `state`. */
  | 'ready'
  /** Waiting for a Lambda result or a task token. */
  | 'task'
  /** Wait state timer. */
  | 'wait'
  /** Waiting before a retry attempt. */
  | 'retry'
  /** Parallel/Map: waiting for child frames. */
  | 'fork'
  /** A JSONata state's expressions are being evaluated (asynchronously, outside the batch); see `evaluation`. */
  | 'evaluating'
  /** Finished (child frames keep their output until the parent collects it). */
  | 'done'
  | 'failed';

/**
 * A task attempt as its frame stores it. Fields left out when they hold
 * nothing (every waiting task's frame is written once; what it repeats is
 * bytes to serialise, store and collect): `submitted` until it is true, the
 * deadlines when the state sets none. `resource` follows from `call`
 * (resourceOf, task-invocation.ts); frames written before it did carry it.
 */
export interface TaskData {
  call: TaskCall;
  resource?: string;
  token?: string;
  /** The function accepted a `.waitForTaskToken` invocation; on restart only the token is awaited. */
  submitted?: boolean;
  requestId: string;
  /**
   * Not stored: the JSON of the call's payload, made once when the task is scheduled (its TaskScheduled event writes it)
   * and taken by the frame's first text (frame-text.ts), which wrote it again.
   */
  payloadJson?: string;
  timeoutAt?: number | null;
  heartbeatAt?: number | null;
}

export interface ForkData {
  kind: 'parallel' | 'map';
  total: number;
  running: number;
  finished: number;
  failed: number;
  nextIndex: number;
  maxConcurrency: number;
  toleratedCount: number | null;
  toleratedPercentage: number | null;
}

export interface FrameData {
  id: number;
  parent: number | null;
  idx: number;
  state: string;
  input: JsonValue;
  phase: FramePhase;
  /** The state has not been entered yet (no StateEntered event, no EnteredTime). */
  fresh: boolean;
  enteredTime: string;
  retryCount: number;
  attempts: number[];
  task?: TaskData;
  dueAt?: number;
  waitOutput?: JsonValue;
  fork?: ForkData;
  output?: JsonValue;
  failure?: { error: string; cause: string };
  lastEventId: number;
  /** The id of the current state's StateEntered event (named in the Cause of the errors it raises). */
  enteredEventId?: number;
  /** This frame's own workflow variables (outer frames' are read through `parent`). */
  vars?: Record<string, JsonValue>;
  /** What a JSONata state is evaluating; redone after a restart (evaluation is pure). */
  evaluation?: Evaluation;
  /** A Wait state's Assign, applied when it exits. */
  waitAssign?: Record<string, JsonValue>;
  /** The children of this frame's Map or Parallel state when it failed: where a redrive continues them. Kept until the state is left or retried. */
  failedFork?: ForkRedrive;
  /** Entering the current state continues this fork (a redrive) instead of starting a new one. */
  redriveFork?: ForkRedrive;
}

/**
 * Where a frame continues when its execution is redriven: the state it
 * stopped in, that state's input and the frame's own variables; for a Map or
 * Parallel state, what each of its children did.
 */
export interface RedrivePoint {
  state: string;
  input: JsonValue;
  vars?: Record<string, JsonValue>;
  fork?: ForkRedrive;
}

/**
 * A Map's iterations or a Parallel's branches as they stood when the
 * execution closed: a child that succeeded keeps its output and is not run
 * again; every other child (failed, aborted, not started) continues from its
 * own redrive point. The Map's evaluated limits are kept with them.
 */
export interface ForkRedrive {
  kind: 'parallel' | 'map';
  children: ({ output: JsonValue } | { point: RedrivePoint })[];
  maxConcurrency: number;
  toleratedCount: number | null;
  toleratedPercentage: number | null;
}

export type Evaluation =
  { kind: 'enter'; token?: string } | { kind: 'complete'; result: JsonValue } | { kind: 'catch'; catcherIndex: number; error: string; cause: string };

/**
 * The children a Map or Parallel state starts together are written as ONE
 * row (a JSON array, keyed by minus the largest child id) instead of a row
 * each: a Map over 1,000 items writes one row, and deletes one when it ends.
 * A child that changes in a later batch gets a row of its own, which a
 * restart prefers to its entry here; the row goes once no child is left.
 */
export interface Brood {
  id: number;
  /** Children still alive. */
  live: number;
}

/**
 * Each definition's states by name (never mutated once parsed). Stepping reads the state it is in at every step: a keyed
 * read of a States object with many names is megamorphic (~50 ns measured for a 100-state chain), a Map lookup half that.
 */
const statesByName = new WeakMap<MachineDefinition, Map<string, StateDefinition>>();

function statesOf(def: MachineDefinition): Map<string, StateDefinition> {
  let states = statesByName.get(def);
  if (!states) {
    states = new Map(Object.entries(def.States));
    statesByName.set(def, states);
  }
  return states;
}

/**
 * The children of a frame that never forked (most frames), and the retries of a state never retried: one read-only empty
 * array for all instead of one each (a Map over 1,000 items made 2,000, and every waiting execution kept two through its
 * wait). Replaced, never written into (writing into them throws).
 */
export const NO_CHILDREN: Frame[] = Object.freeze([]) as unknown as Frame[];
export const NO_ATTEMPTS: number[] = Object.freeze([]) as unknown as number[];

/** In-memory frame: persisted data plus links the engine rebuilds on load. */
export class Frame {
  /** Bumped on every phase change: callbacks and timers carrying an older value are stale. */
  gen = 0;
  dead = false;
  /** Written to the frames table under its own id at least once (so finishing must delete it). */
  stored = false;
  /** The row it was first written in with its siblings, if it was (see Brood). */
  brood: Brood | null = null;
  /** The batch's dirty epoch while it is among the frames the batch writes (batch.ts, persist). */
  dirtyIn = 0;
  /** Its text serialised for the batch being written, until written (batch.ts, takeText). */
  text: string | undefined = undefined;
  children: Frame[] = NO_CHILDREN;
  /** `def`'s states by name (see statesByName). */
  readonly states: Map<string, StateDefinition>;

  constructor(
    readonly data: FrameData,
    readonly runArn: string,
    readonly parent: Frame | null,
    readonly def: MachineDefinition,
  ) {
    this.states = statesOf(def);
  }

  /** The definition of the state the frame is in. */
  get state(): StateDefinition {
    return this.states.get(this.data.state)!;
  }
}
