/**
 * One execution in memory (a Run: its frames, history cursor and constant
 * `$$` parts) and the units of work the engine's batches process.
 */
import type { StateStep } from '../asl/step';
import type { ContextObject, JsonValue, MachineDefinition } from '../asl/types';
import type { ChunkWriter } from './history-chunk';
import { parseStateMachineArn } from './arns';
import { Frame, type FrameData } from './frame';
import type { ClosedRow, ExecutionRow } from './store';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Run {
  /** The executions row id (history is keyed by it). */
  id: number;
  arn: string;
  name: string;
  status: ExecutionStatus;
  lastEventId: number;
  root: Frame;
  /**
   * Its frames below the top level (Map iterations, Parallel branches), by id; made by its first fork (most executions
   * never fork: a Map per execution built from an entry list was ~0.5 KB of garbage per start).
   */
  forked?: Map<number, Frame>;
  timeoutTimer?: NodeJS.Timeout;
  /** Input text as given to StartExecution (name idempotency compares it). */
  inputText: string;
  started: number;
  pendingRow?: ExecutionRow;
  /**
   * `$$.Execution` and `$$.StateMachine`: the same for every state, built once (never mutated); also where the engine reads
   * the execution's role (`RoleArn`) and machine ARN (`Id`). `$$.StateMachine` is one object per machine.
   */
  ctxExecution: ContextObject['Execution'];
  ctxMachine: ContextObject['StateMachine'];
  /** History events of the current batch (on the run, not in a map: looked up twice per transition). */
  chunk?: ChunkWriter;
  /**
   * Characters of history kept in the execution's own row, where each batch's
   * chunk is appended while it fits; -1 once later events go to the history
   * table (from then on all of them do, so the row keeps a prefix).
   */
  inlineHistory: number;
  /** Closed in the current batch: what its row gets (written with its last chunk). */
  closing?: ClosedRow;
}

export type FrameEvent =
  | { type: 'enter' }
  | { type: 'result'; ok: true; value: JsonValue }
  | { type: 'result'; ok: false; error: string; cause: string }
  | { type: 'submitted' }
  | { type: 'timer' }
  | { type: 'taskTimeout'; heartbeat: boolean }
  | { type: 'heartbeat' }
  | { type: 'evaluated'; step: EvaluatedStep };

/** Entering a frame's state: read only, one object for every `enter` queued (a Map queues one per item). */
export const ENTER: FrameEvent = Object.freeze({ type: 'enter' });

/** What a JSONata evaluation produced: a state's step, or where its Catch leads. */
export type EvaluatedStep = StateStep | { kind: 'catch'; next: string; output: JsonValue; assign?: Record<string, JsonValue> };

/** Called once the work's batch committed, or with the error that rolled it back. */
export type Settle = (error?: unknown) => void;

export type StartWork = { kind: 'start'; run: Run; defHash: string; definitionText: string; timeoutAt: number | null; onCommit?: Settle };

export type Work =
  | StartWork
  | { kind: 'frame'; frame: Frame; gen: number; event: FrameEvent; onCommit?: Settle }
  | { kind: 'close'; run: Run; status: 'ABORTED' | 'TIMED_OUT'; error: string; cause: string; onCommit?: Settle }
  | { kind: 'redrive'; run: Run; at: number; timeoutAt: number | null; onCommit?: Settle };

/** What a batch does once it has committed. */
export type Effect =
  | { kind: 'invoke'; frame: Frame; gen: number }
  | { kind: 'evaluate'; frame: Frame; gen: number }
  | { kind: 'timer'; key: string; frame: Frame; gen: number; at: number; event: FrameEvent };

/** Records a frame below `run`'s top level. */
export function addForked(run: Run, frame: Frame): void {
  (run.forked ??= new Map()).set(frame.data.id, frame);
}

/** Calls `visit` with each of `run`'s frames, its top-level one first. */
export function forEachFrame(run: Run, visit: (frame: Frame) => void): void {
  visit(run.root);
  if (run.forked) for (const frame of run.forked.values()) visit(frame);
}

export function settle(resolve: () => void, reject: (error: unknown) => void): Settle {
  return (error) => (error === undefined ? resolve() : reject(error));
}

/**
 * A new promise, its resolving functions kept for the answer built next (answerLast): the executor is one function for all
 * promises, where an arrow per call was a closure and a context of the caller's variables (StartExecution and
 * SendTaskSuccess make one per call, 1,000 in a wave). The executor runs before the constructor returns, so the functions
 * kept are this promise's; answerLast takes them at once.
 */
export function pendingAnswer<T>(): Promise<T> {
  return new Promise<T>(keepResolvers);
}

/** Settles the promise pendingAnswer made last with `value` once its work has committed (or with the error that rolled it back). */
export function answerLast<T>(value: T): Settle {
  const resolve = lastResolve as (value: T) => void;
  const reject = lastReject;
  lastResolve = lastReject = NO_RESOLVER;
  return (error) => (error === undefined ? resolve(value) : reject(error));
}

/** The waiter of the promise pendingAnswer made last, for one who waits on it without a commit to answer (closing.ts). */
export function resolverOfLast<T>(): (value: T) => void {
  const resolve = lastResolve as (value: T) => void;
  lastResolve = lastReject = NO_RESOLVER;
  return resolve;
}

const NO_RESOLVER = (): void => {};
let lastResolve: (value: never) => void = NO_RESOLVER;
let lastReject: (error: unknown) => void = NO_RESOLVER;

function keepResolvers(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  lastResolve = resolve;
  lastReject = reject;
}

let isoCache = { ms: -1, text: '' };
/** ISO time; cached per millisecond (hot: every state entry formats one). */
export function iso(ms: number): string {
  if (ms !== isoCache.ms) isoCache = { ms, text: new Date(ms).toISOString() };
  return isoCache.text;
}

export interface RunSpec {
  id: number;
  arn: string;
  name: string;
  smArn: string;
  roleArn: string;
  input: JsonValue;
  started: number;
  def: MachineDefinition;
  lastEventId: number;
  rootData: FrameData;
  redriveCount: number;
}

/** The run of a stored execution (resumed after a restart, or redriven): its identity from the row. */
export function runOfRow(row: ExecutionRow, spec: Pick<RunSpec, 'def' | 'lastEventId' | 'rootData' | 'redriveCount'>): Run {
  const input = JSON.parse(row.input) as JsonValue;
  const run = newRun({ id: row.id, arn: row.arn, name: row.name, smArn: row.sm_arn, roleArn: row.role_arn, input, started: row.started, ...spec });
  // Its later events go to the history table (what its row holds is not known here, nor needed).
  run.inlineHistory = -1;
  return run;
}

/** `$$.StateMachine` per machine ARN: read only, shared by all its executions (an object per execution was garbage to collect). */
const machineContexts = new Map<string, ContextObject['StateMachine']>();

function machineContext(smArn: string): ContextObject['StateMachine'] {
  let ctx = machineContexts.get(smArn);
  if (!ctx) {
    ctx = Object.freeze({ Id: smArn, Name: parseStateMachineArn(smArn)?.machineName ?? '' });
    if (machineContexts.size >= 10_000) machineContexts.clear();
    machineContexts.set(smArn, ctx);
  }
  return ctx;
}

export function newRun(spec: RunSpec): Run {
  const { arn, name, smArn, roleArn, input, started } = spec;
  const root = new Frame(spec.rootData, arn, null, spec.def);
  return {
    id: spec.id,
    arn,
    name,
    status: 'RUNNING',
    lastEventId: spec.lastEventId,
    root,
    inputText: '',
    started,
    inlineHistory: 0,
    ctxExecution: { Id: arn, Input: input, Name: name, RoleArn: roleArn, StartTime: iso(started), RedriveCount: spec.redriveCount },
    ctxMachine: machineContext(smArn),
    // Set later, there from the start: added one by one, they changed the run's shape and went to a property array of their own.
    forked: undefined,
    timeoutTimer: undefined,
    pendingRow: undefined,
    chunk: undefined,
    closing: undefined,
  };
}
