/**
 * The durable Step Functions engine. Executions are trees of frames (see
 * frame.ts). Work is processed in batches: every transition of a batch is
 * written to SQLite in ONE transaction, and only after it commits does the
 * engine act on it (invoke a function, arm a timer, answer SendTaskSuccess).
 * A crash therefore loses at most uncommitted work, which is redone on
 * restart; a Lambda task whose invocation was in flight runs again
 * (at least once, as on AWS).
 */
import { createHash, randomUUID } from 'node:crypto';
// Imported from the modules, not the ../asl barrel: its re-exports are getters on the hot path.
import type { ExecutionIdentity } from '../asl/context';
import { StatesError, StatesExceedToleratedFailureThresholdError, StatesHeartbeatTimeoutError, StatesRuntimeError, StatesTimeoutError, TaskError, toStatesError } from '../asl/errors';
import { completeState, enterState, recoverFromError } from '../asl/executor';
import { readsBeyondInput } from '../asl/io';
import { exceedsTolerance, mapItemInput, mapProcessor } from '../asl/states/map';
import { needsTaskToken, taskResult } from '../asl/states/task';
import type { StateEnv, StateStep, TaskCall } from '../asl/step';
import type { ContextObject, JsonValue, MachineDefinition, StateDefinition } from '../asl/types';
import { catchJsonataError, completeJsonataState, enterJsonataState } from '../asl/jsonata/states';
import { isJsonata, resolveQueryLanguages } from '../asl/query-language';
import { checkAssignment, withVariables } from '../asl/variables';
import type { FunctionRegistry } from '../functions';
import { executionArn as makeExecutionArn, generatedExecutionName, isValidName, parseStateMachineArn, type ArnScope } from './arns';
import { sfnErrors } from './errors';
import { Frame, type Evaluation, type FrameData } from './frame';
import { redriveRefusal, type RedrivePoint } from './redrive';
import { ChunkWriter } from './history-chunk';
import { MAX_HISTORY_EVENTS, type ExecutionRow, type ExecutionStore } from './store';
import { attemptRequestId, isWellFormedToken, newTaskToken } from './task-token';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface EngineOptions {
  store: ExecutionStore;
  functions: FunctionRegistry;
  scope?: ArnScope;
  /** Most transitions committed in one transaction (bounds event-loop blocking). */
  maxBatch?: number;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  /** JSON text (as the API takes it); defaults to `{}`. */
  input?: string;
}

interface Run {
  /** The executions row id (history is keyed by it). */
  id: number;
  arn: string;
  name: string;
  identity: ExecutionIdentity;
  status: ExecutionStatus;
  lastEventId: number;
  root: Frame;
  frames: Map<number, Frame>;
  timeoutTimer?: NodeJS.Timeout;
  /** Input text as given to StartExecution (name idempotency compares it). */
  inputText: string;
  started: number;
  /** Some frame or token of this run reached the database (else closing skips the deletes). */
  stored: boolean;
  pendingRow?: ExecutionRow;
  /** `$$.Execution` and `$$.StateMachine`: the same for every state, built once (never mutated). */
  ctxExecution: ContextObject['Execution'];
  ctxMachine: ContextObject['StateMachine'];
  /** History events of the current batch (on the run, not in a map: looked up twice per transition). */
  chunk?: ChunkWriter;
}

type FrameEvent =
  | { type: 'enter' }
  | { type: 'result'; ok: true; value: JsonValue }
  | { type: 'result'; ok: false; error: string; cause: string }
  | { type: 'submitted' }
  | { type: 'timer' }
  | { type: 'taskTimeout'; heartbeat: boolean }
  | { type: 'heartbeat' }
  | { type: 'evaluated'; step: StateStep | { kind: 'catch'; next: string; output: JsonValue; assign?: Record<string, JsonValue> } };

/** Called once the work's batch committed, or with the error that rolled it back. */
type Settle = (error?: unknown) => void;

type StartWork = { kind: 'start'; run: Run; defHash: string; definitionText: string; timeoutAt: number | null; onCommit?: Settle };

type Work =
  | StartWork
  | { kind: 'frame'; frame: Frame; gen: number; event: FrameEvent; onCommit?: Settle }
  | { kind: 'close'; run: Run; status: 'ABORTED' | 'TIMED_OUT'; error: string; cause: string; onCommit?: Settle }
  | { kind: 'redrive'; run: Run; at: number; timeoutAt: number | null; onCommit?: Settle };

type Effect =
  | { kind: 'invoke'; frame: Frame; gen: number }
  | { kind: 'evaluate'; frame: Frame; gen: number }
  | { kind: 'timer'; key: string; frame: Frame; gen: number; at: number; event: FrameEvent };

const MAX_TIMER_MS = 2 ** 31 - 1;

let isoCache = { ms: -1, text: '' };
/** ISO time; cached per millisecond (hot: every state entry formats one). */
function iso(ms: number): string {
  if (ms !== isoCache.ms) isoCache = { ms, text: new Date(ms).toISOString() };
  return isoCache.text;
}

/** `<Type>StateEntered`/`Exited` as constants: a fresh template string per transition costs a hash in the chunk writer. */
const ENTERED: Record<StateDefinition['Type'], string> = {
  Pass: 'PassStateEntered', Task: 'TaskStateEntered', Choice: 'ChoiceStateEntered', Wait: 'WaitStateEntered',
  Succeed: 'SucceedStateEntered', Fail: 'FailStateEntered', Parallel: 'ParallelStateEntered', Map: 'MapStateEntered',
};
const EXITED: Record<StateDefinition['Type'], string> = {
  Pass: 'PassStateExited', Task: 'TaskStateExited', Choice: 'ChoiceStateExited', Wait: 'WaitStateExited',
  Succeed: 'SucceedStateExited', Fail: 'FailStateExited', Parallel: 'ParallelStateExited', Map: 'MapStateExited',
};

const TRUNCATED_NO = { truncated: false };
/** Stands in for `$$` where a state cannot read it. */
const NO_CONTEXT = Object.freeze({}) as ContextObject;

function settle(resolve: () => void, reject: (error: unknown) => void): Settle {
  return (error) => (error === undefined ? resolve() : reject(error));
}

/**
 * AWS names the state and its entry event in the Cause of an error the
 * interpreter raises (recorded executions: "An error occurred while executing
 * the state 'X' (entered at the event id #8). The JSONPath …").
 */
function located(error: StatesError, frame: Frame): StatesError {
  if (error instanceof TaskError || (error.name !== 'States.Runtime' && error.name !== 'States.QueryEvaluationError')) return error;
  return new StatesError(error.name, `An error occurred while executing the state '${frame.data.state}' (entered at the event id #${frame.data.enteredEventId ?? 0}). ${error.causeText}`);
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

export class StepFunctionsEngine {
  readonly store: ExecutionStore;
  readonly functions: FunctionRegistry;
  readonly scope: ArnScope;
  private readonly maxBatch: number;
  private readonly runs = new Map<string, Run>();
  private readonly tokens = new Map<string, Frame>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly definitions = new Map<string, MachineDefinition>();
  private readonly closeWaiters = new Map<string, ((row: ExecutionRow) => void)[]>();
  private queue: Work[] = [];
  private flushScheduled = false;
  private dirty = new Set<Frame>();
  private effects: Effect[] = [];
  /** The last executions to close, so waitForExecution rarely needs a query. */
  private readonly recentlyClosed = new Map<string, ExecutionRow>();
  /** Transitions processed in the current batch. */
  private steps = 0;
  /** The frame whose synchronous states are being stepped in a loop (goTo need not queue it). */
  private inline: Frame | null = null;
  /** Executions started in this batch, their rows not yet written. */
  private pendingRows: Run[] = [];
  /** Callbacks to run once the current batch has committed. */
  private afterCommit: Settle[] = [];
  private nextFrameId = 0;
  private nextExecutionId = 0;
  /** Runs with history events in the current batch (`run.chunk`), in order. */
  private chunked: Run[] = [];
  private readonly defHashes = new Map<string, string>();
  private readonly knownDefinitions = new Set<string>();

  /** The environment of a Pass without Parameters or a Succeed (they never read `$$`): one object, its clock set per use; handlers are pure and keep no reference. */
  private readonly bareEnv: StateEnv = { now: 0, context: NO_CONTEXT };

  private closed = false;
  private transitionListener?: (executionArn: string, stateName: string) => void;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.functions = options.functions;
    this.scope = options.scope ?? { region: options.functions.region, accountId: options.functions.accountId };
    this.maxBatch = options.maxBatch ?? 2_000;
    this.nextFrameId = this.store.maxFrameId();
    this.nextExecutionId = this.store.maxExecutionId();
  }

  /** Called with every state entered (benchmarks measure latency with it). */
  onStateEntered(listener: (executionArn: string, stateName: string) => void): void {
    this.transitionListener = listener;
  }

  // ---------------------------------------------------------------- public API

  /**
   * Starts an execution (also used in process by local EventBridge targets).
   * Name idempotency as AWS: the same name and input as a RUNNING execution
   * returns it; otherwise a used name is ExecutionAlreadyExists.
   * @example await engine.startExecution({ stateMachineArn, input: JSON.stringify({ id: 1 }) })
   */
  async startExecution(request: StartExecutionInput): Promise<{ executionArn: string; startDate: number }> {
    if (!parseStateMachineArn(request.stateMachineArn)) throw sfnErrors.invalidArn(`Invalid Arn: '${request.stateMachineArn}'`);
    const machine = this.store.getMachine(request.stateMachineArn);
    if (!machine) throw sfnErrors.stateMachineDoesNotExist(`State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const id = ++this.nextExecutionId;
    const name = request.name ?? generatedExecutionName(id, randomUUID());
    if (request.name !== undefined && !isValidName(name)) throw sfnErrors.invalidName(`Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    let input: JsonValue;
    try {
      input = JSON.parse(inputText) as JsonValue;
    } catch (error) {
      throw sfnErrors.invalidExecutionInput(`Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    if (inputText.length > 256 * 1024 && Buffer.byteLength(inputText) > 256 * 1024) throw sfnErrors.invalidExecutionInput('Execution input exceeds the 256 KiB limit');
    const arn = makeExecutionArn(this.scope, machine.name, name);
    const running = this.runs.get(arn);
    if (running) {
      if (running.inputText === inputText) return { executionArn: arn, startDate: running.started / 1000 };
      throw sfnErrors.executionAlreadyExists(`Execution Already Exists: '${arn}'`);
    }
    // A generated name is a fresh UUID: only a caller-chosen name can collide with a closed execution.
    if (request.name !== undefined && this.store.getExecution(arn)) throw sfnErrors.executionAlreadyExists(`Execution Already Exists: '${arn}'`);
    const hashKey = `${machine.arn}#${machine.revision}`;
    let defHash = this.defHashes.get(hashKey);
    if (!defHash) {
      defHash = createHash('sha256').update(machine.definition).digest('hex');
      this.defHashes.set(hashKey, defHash);
    }
    const def = this.definition(defHash, machine.definition);
    const started = Date.now();
    const run = this.newRun(id, arn, name, machine.arn, machine.role_arn, input, started, def, 0);
    run.inputText = inputText;
    this.runs.set(arn, run);
    const start: StartWork = { kind: 'start', run, defHash, definitionText: machine.definition, timeoutAt: def.TimeoutSeconds ? started + def.TimeoutSeconds * 1000 : null };
    await new Promise<void>((resolve, reject) => this.enqueue({ ...start, onCommit: settle(resolve, reject) }));
    return { executionArn: arn, startDate: started / 1000 };
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution continues from
   * the top-level state it closed in, with its ARN, history, variables and
   * definition (see redrive.ts). Resolves once the restart is committed.
   */
  async redriveExecution(arn: string): Promise<{ redriveDate: number }> {
    const row = this.store.getExecution(arn);
    if (!row) throw sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    const stored = this.store.getRedrive(row.id);
    const record = stored ? { point: JSON.parse(stored.point) as RedrivePoint, count: stored.count, redrivenAt: stored.redriven_at } : undefined;
    const now = Date.now();
    const refusal = this.runs.has(arn) ? 'Execution is RUNNING and cannot be redriven' : redriveRefusal(row, this.store.getMachine(row.sm_arn)?.type, record, now);
    if (refusal) throw sfnErrors.executionNotRedrivable(refusal);
    const text = this.store.getDefinition(row.def_hash);
    if (!text) throw sfnErrors.executionNotRedrivable('Execution has no stored definition to redrive with');
    const def = this.definition(row.def_hash, text);
    const point = record!.point;
    const data = this.frameData(null, 0, point.state, point.input, 'ready');
    if (point.vars) data.vars = point.vars;
    const run = this.newRun(row.id, row.arn, row.name, row.sm_arn, row.role_arn, JSON.parse(row.input) as JsonValue, row.started, def, this.store.maxEventId(row.id), data, record!.count + 1);
    run.inputText = row.input;
    run.stored = true;
    this.runs.set(arn, run);
    this.recentlyClosed.delete(arn);
    const timeoutAt = def.TimeoutSeconds ? now + def.TimeoutSeconds * 1000 : null;
    await new Promise<void>((resolve, reject) => this.enqueue({ kind: 'redrive', run, at: now, timeoutAt, onCommit: settle(resolve, reject) }));
    return { redriveDate: now / 1000 };
  }

  /** Stops a RUNNING execution (ExecutionAborted); resolves once committed. */
  async stopExecution(arn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const row = this.store.getExecution(arn);
    if (!row) throw sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    const run = this.runs.get(arn);
    if (run && run.status === 'RUNNING') {
      await new Promise<void>((resolve, reject) => this.enqueue({ kind: 'close', run, status: 'ABORTED', error: error ?? '', cause: cause ?? '', onCommit: settle(resolve, reject) }));
    }
    const after = this.store.getExecution(arn)!;
    return { stopDate: (after.stopped ?? Date.now()) / 1000 };
  }

  /** SendTaskSuccess: resolves once the result is committed. */
  sendTaskSuccess(token: unknown, output: unknown): Promise<void> {
    const frame = this.taskFor(token);
    if (typeof output !== 'string') throw sfnErrors.invalidOutput('Invalid Output: output must be a JSON string');
    if (output.length > 256 * 1024 && Buffer.byteLength(output) > 256 * 1024) throw sfnErrors.invalidOutput('Invalid Output: output exceeds the 256 KiB limit');
    let value: JsonValue;
    try {
      value = JSON.parse(output) as JsonValue;
    } catch (error) {
      throw sfnErrors.invalidOutput(`Invalid Output: '${(error as Error).message}'`);
    }
    this.tokens.delete(token as string);
    return new Promise((resolve, reject) => this.enqueue({ kind: 'frame', frame, gen: frame.gen, event: { type: 'result', ok: true, value }, onCommit: settle(resolve, reject) }));
  }

  /** SendTaskFailure: resolves once the failure is committed. */
  sendTaskFailure(token: unknown, error?: string, cause?: string): Promise<void> {
    if ((error?.length ?? 0) > 256) throw sfnErrors.validation('error must be at most 256 characters');
    if ((cause?.length ?? 0) > 32768) throw sfnErrors.validation('cause must be at most 32768 characters');
    const frame = this.taskFor(token);
    this.tokens.delete(token as string);
    return new Promise((resolve, reject) => this.enqueue({ kind: 'frame', frame, gen: frame.gen, event: { type: 'result', ok: false, error: error ?? '', cause: cause ?? '' }, onCommit: settle(resolve, reject) }));
  }

  /** SendTaskHeartbeat: pushes the task's heartbeat deadline out. */
  sendTaskHeartbeat(token: unknown): Promise<void> {
    const frame = this.taskFor(token);
    return new Promise((resolve, reject) => this.enqueue({ kind: 'frame', frame, gen: frame.gen, event: { type: 'heartbeat' }, onCommit: settle(resolve, reject) }));
  }

  /** Resolves with the execution's row once it is no longer RUNNING. */
  waitForExecution(arn: string): Promise<ExecutionRow> {
    const recent = this.recentlyClosed.get(arn);
    if (recent) return Promise.resolve(recent);
    const row = this.store.getExecution(arn);
    if (!row) return Promise.reject(sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`));
    if (row.status !== 'RUNNING') return Promise.resolve(row);
    return new Promise((resolve) => {
      const list = this.closeWaiters.get(arn) ?? [];
      list.push(resolve);
      this.closeWaiters.set(arn, list);
    });
  }

  /** Number of executions running in this process. */
  get runningCount(): number {
    return this.runs.size;
  }

  /**
   * Continues every RUNNING execution found in the store: the restart path.
   * Returns how many were resumed.
   */
  resume(): number {
    const rows = this.store.runningExecutions();
    for (const row of rows) {
      if (this.runs.has(row.arn)) continue;
      this.resumeExecution(row);
    }
    this.flushSoon();
    return rows.length;
  }

  /** Stops timers and scheduling; the store stays open (the caller owns it). */
  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const run of this.runs.values()) if (run.timeoutTimer) clearTimeout(run.timeoutTimer);
  }

  // ------------------------------------------------------------------ plumbing

  private definition(hash: string, text: string): MachineDefinition {
    let def = this.definitions.get(hash);
    if (!def) {
      def = resolveQueryLanguages(JSON.parse(text) as MachineDefinition);
      this.definitions.set(hash, def);
    }
    return def;
  }

  private newRun(id: number, arn: string, name: string, smArn: string, roleArn: string, input: JsonValue, started: number, def: MachineDefinition, lastEventId: number, rootData?: FrameData, redriveCount = 0): Run {
    const identity: ExecutionIdentity = {
      executionArn: arn,
      executionName: name,
      input,
      roleArn,
      startTime: iso(started),
      stateMachineArn: smArn,
      stateMachineName: parseStateMachineArn(smArn)?.machineName ?? '',
    };
    const data = rootData ?? this.frameData(null, 0, def.StartAt, input, 'ready');
    const root = new Frame(data, arn, null, def);
    const run: Run = {
      id, arn, name, identity, status: 'RUNNING', lastEventId, root, frames: new Map([[data.id, root]]), inputText: '', started, stored: false,
      ctxExecution: { Id: arn, Input: input, Name: name, RoleArn: roleArn, StartTime: identity.startTime, RedriveCount: redriveCount },
      ctxMachine: { Id: smArn, Name: identity.stateMachineName },
    };
    return run;
  }

  private frameData(parent: number | null, idx: number, state: string, input: JsonValue, phase: FrameData['phase']): FrameData {
    return { id: ++this.nextFrameId, parent, idx, state, input, phase, fresh: true, enteredTime: '', retryCount: 0, attempts: [], lastEventId: 0 };
  }

  private taskFor(token: unknown): Frame {
    if (!isWellFormedToken(token)) throw sfnErrors.invalidToken('Invalid Token: the task token is malformed');
    const frame = this.tokens.get(token);
    if (frame && !frame.dead && frame.data.phase === 'task' && frame.data.task?.token === token) return frame;
    const row = this.store.getToken(token);
    if (row?.status === 'timed_out') throw sfnErrors.taskTimedOut('Task Timed Out: the task has already timed out');
    throw sfnErrors.taskDoesNotExist('Task Does Not Exist: the task token is unknown or its task has already finished');
  }

  private enqueue(work: Work): void {
    this.queue.push(work);
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
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
              this.process(work);
            } catch (error) {
              // One item that throws (an input too deep to walk, a bug) must not take the batch down.
              const failure = this.failWork(work, error);
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
      this.rollBack(committed, error);
      return;
    }
    this.afterCommit = [];
    const effects = this.effects;
    this.effects = [];
    for (const effect of effects) this.perform(effect);
    for (const done of committed) done();
    if (this.queue.length > 0) this.flushSoon();
  }

  /**
   * A batch failed to commit: memory may be ahead of the database. Drop the
   * in-memory state and reload it from the last commit (the restart path);
   * callers waiting on this batch get the error.
   */
  private rollBack(waiting: Settle[], error: unknown): void {
    process.stderr.write(`stepfunctions: a batch failed to commit, reloading from the database: ${String(error)}\n`);
    const queued = this.queue.filter((w) => w.onCommit);
    this.afterCommit = [];
    this.effects = [];
    for (const run of this.chunked) run.chunk = undefined;
    this.chunked = [];
    this.dirty.clear();
    this.pendingRows = [];
    this.queue = [];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const run of this.runs.values()) if (run.timeoutTimer) clearTimeout(run.timeoutTimer);
    for (const run of this.runs.values()) for (const frame of run.frames.values()) frame.dead = true;
    this.runs.clear();
    this.tokens.clear();
    this.nextFrameId = Math.max(this.nextFrameId, this.store.maxFrameId());
    for (const done of [...waiting, ...queued.map((w) => w.onCommit!)]) done(error);
    this.resume();
  }

  /**
   * A work item threw mid-transition: its execution's memory may be half-updated, so the
   * execution ends FAILED with States.Runtime in this batch (its history so far is kept).
   * Returns the error its request is answered with.
   */
  private failWork(work: Work, error: unknown): StatesRuntimeError {
    this.inline = null;
    const run = work.kind === 'frame' ? this.runs.get(work.frame.runArn) : work.run;
    const failure = this.failInside(run, error);
    // A start that threw before its row was queued has nothing to record: that execution never existed.
    if (work.kind === 'start' && !this.pendingRows.includes(work.run)) this.runs.delete(work.run.arn);
    return failure;
  }

  /** Ends `run` FAILED with States.Runtime after the engine itself threw on it. */
  private failInside(run: Run | undefined, error: unknown): StatesRuntimeError {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const failure = new StatesRuntimeError(`The execution failed inside the local engine: ${reason}`);
    if (!run || run.status !== 'RUNNING') return failure;
    process.stderr.write(`stepfunctions: ${run.arn} failed with States.Runtime: ${reason}\n`);
    try {
      this.closeRun(run, 'FAILED', { error: failure.name, cause: failure.causeText });
    } catch {
      // Not even its failure could be recorded: forget it here; a stored row stays RUNNING and resumes.
      this.pendingRows = this.pendingRows.filter((r) => r !== run);
      for (const frame of run.frames.values()) this.dirty.delete(frame);
      this.runs.delete(run.arn);
    }
    return failure;
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
        this.failInside(this.runs.get(frame.runArn), error);
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
        // Never written (born and finished in this batch) or its execution closed (all its rows went at once): nothing to delete.
        if (frame.stored && this.runs.has(frame.runArn)) this.store.deleteFrame(frame.data.id);
      } else {
        this.store.putFrame(frame.data.id, frame.runArn, bodies.get(frame) ?? json(frame.data));
        frame.stored = true;
        const run = this.runs.get(frame.runArn);
        if (run) run.stored = true;
      }
    }
    this.dirty.clear();
  }

  private persist(frame: Frame): void {
    this.dirty.add(frame);
  }

  private perform(effect: Effect): void {
    if (effect.frame.dead || effect.frame.gen !== effect.gen) return;
    if (effect.kind === 'invoke') this.invoke(effect.frame, effect.gen);
    else if (effect.kind === 'evaluate') this.runEvaluation(effect.frame, effect.gen);
    else this.setTimer(effect.key, effect.frame, effect.gen, effect.at, effect.event);
  }

  private setTimer(key: string, frame: Frame, gen: number, at: number, event: FrameEvent): void {
    this.clearTimer(key);
    const delay = Math.max(0, at - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (Date.now() < at) this.setTimer(key, frame, gen, at, event);
      else this.enqueue({ kind: 'frame', frame, gen, event });
    }, Math.min(delay, MAX_TIMER_MS));
    this.timers.set(key, timer);
  }

  private clearTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) {
      clearTimeout(t);
      this.timers.delete(key);
    }
  }

  private clearFrameTimers(frame: Frame): void {
    // Most executions arm no timer at all; a Map of 1,000 would otherwise build 6,000 keys to find nothing.
    if (this.timers.size === 0) return;
    for (const suffix of ['due', 'timeout', 'heartbeat']) this.clearTimer(`${frame.data.id}:${suffix}`);
  }

  private armExecutionTimeout(run: Run, at: number): void {
    const fire = (): void => {
      if (Date.now() < at) {
        run.timeoutTimer = setTimeout(fire, Math.min(at - Date.now(), MAX_TIMER_MS));
        return;
      }
      if (run.status === 'RUNNING') this.enqueue({ kind: 'close', run, status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out (TimeoutSeconds).' });
    };
    run.timeoutTimer = setTimeout(fire, Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
  }

  /** Buffers a history event; the batch writes each execution's events as one chunk before it commits. */
  private emit(run: Run, frame: Frame | null, type: string, details: Record<string, unknown> | string | null, payloadKey: string | null = null, payload: unknown = null, now = Date.now()): number {
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

  /** The state's environment. (A lazy `$$` getter measured slower: V8 deoptimises the accessor object.) */
  private env(run: Run, frame: Frame, now: number, token?: string): StateEnv {
    return { now, context: this.context(run, frame, token) };
  }

  private context(run: Run, frame: Frame, token?: string): ContextObject {
    const ctx: ContextObject = { Execution: run.ctxExecution, State: { EnteredTime: frame.data.enteredTime, Name: frame.data.state, RetryCount: frame.data.retryCount }, StateMachine: run.ctxMachine };
    if (token !== undefined) ctx.Task = { Token: token };
    return withVariables(ctx, this.variablesFor(frame));
  }

  /** The variables a frame reads: its own over its parents' (a branch or iteration shadows, never writes, outer ones). */
  private variablesFor(frame: Frame): Record<string, JsonValue> | undefined {
    let own: Record<string, JsonValue> | undefined;
    let merged: Record<string, JsonValue> | undefined;
    for (let f: Frame | null = frame; f; f = f.parent) {
      const vars = f.data.vars;
      if (!vars) continue;
      if (!own) own = vars;
      else merged = { ...vars, ...(merged ?? own) };
    }
    return merged ?? own;
  }

  // --------------------------------------------------------------- transitions

  private process(work: Work): void {
    if (work.kind === 'start') {
      this.begin(work);
      return;
    }
    if (work.kind === 'close') {
      if (work.run.status === 'RUNNING') this.closeRun(work.run, work.status, { error: work.error, cause: work.cause });
      return;
    }
    if (work.kind === 'redrive') {
      this.beginRedrive(work.run, work.at, work.timeoutAt);
      return;
    }
    const { frame, event } = work;
    const run = this.runs.get(frame.runArn);
    if (!run || run.status !== 'RUNNING' || frame.dead || work.gen !== frame.gen) return;
    if (run.lastEventId >= MAX_HISTORY_EVENTS) {
      this.closeRun(run, 'FAILED', { error: 'States.Runtime', cause: `The execution history exceeded ${MAX_HISTORY_EVENTS} events` });
      return;
    }
    const state = frame.def.States[frame.data.state];
    switch (event.type) {
      case 'enter': {
        // Synchronous states (Pass, Choice…) follow one another in a loop rather than through the queue.
        this.inline = frame;
        // The batch bound also bounds the events written between two history-limit checks.
        while (frame.data.phase === 'ready' && !frame.dead && run.status === 'RUNNING' && this.steps++ < this.maxBatch) this.enter(run, frame, frame.def.States[frame.data.state]);
        this.inline = null;
        if (frame.data.phase === 'ready' && !frame.dead && run.status === 'RUNNING') this.queue.push({ kind: 'frame', frame, gen: frame.gen, event: { type: 'enter' } });
        return;
      }
      case 'timer':
        if (frame.data.phase === 'wait') {
          this.exitState(run, frame, state, frame.data.waitOutput ?? null, undefined, frame.data.waitAssign);
          frame.data.waitAssign = undefined;
          this.transition(run, frame, state, { kind: 'next', next: state.End ? null : (state.Next ?? null), output: frame.data.waitOutput ?? null });
        } else if (frame.data.phase === 'retry') {
          this.setPhase(frame, 'ready');
          this.enter(run, frame, state);
        }
        return;
      case 'result':
        if (frame.data.phase === 'task') this.taskFinished(run, frame, state, event);
        return;
      case 'submitted':
        if (frame.data.phase === 'task' && frame.data.task) {
          frame.data.task.submitted = true;
          this.emit(run, frame, 'TaskSubmitted', { resourceType: 'lambda', resource: frame.data.task.resource, outputDetails: { truncated: false } }, 'output', {});
          this.persist(frame);
        }
        return;
      case 'taskTimeout':
        if (frame.data.phase === 'task') this.taskTimedOut(run, frame, state, event.heartbeat);
        return;
      case 'evaluated':
        if (frame.data.phase === 'evaluating') this.evaluated(run, frame, state, event.step);
        return;
      case 'heartbeat': {
        const task = frame.data.task;
        if (frame.data.phase !== 'task' || !task) return;
        const seconds = task.call.heartbeatSeconds;
        if (seconds) {
          task.heartbeatAt = Date.now() + seconds * 1000;
          this.persist(frame);
          this.effects.push({ kind: 'timer', key: `${frame.data.id}:heartbeat`, frame, gen: frame.gen, at: task.heartbeatAt, event: { type: 'taskTimeout', heartbeat: true } });
        }
        return;
      }
    }
  }

  /** Records a new execution and enters its first state, in the same transaction. */
  private begin(work: StartWork): void {
    const { run } = work;
    if (!this.knownDefinitions.has(work.defHash)) {
      this.store.putDefinition(work.defHash, work.definitionText);
      this.knownDefinitions.add(work.defHash);
    }
    const id = run.identity;
    // Written at the end of the batch: an execution that also finishes in this batch is inserted closed (one write, no update).
    run.pendingRow = { id: run.id, arn: run.arn, sm_arn: id.stateMachineArn, name: run.name, def_hash: work.defHash, role_arn: id.roleArn, input: run.inputText, status: 'RUNNING', started: run.started, stopped: null, output: null, error: null, cause: null, timeout_at: work.timeoutAt };
    this.pendingRows.push(run);
    this.emit(run, null, 'ExecutionStarted', { input: run.inputText, inputDetails: TRUNCATED_NO, roleArn: id.roleArn, stateMachineArn: id.stateMachineArn });
    if (work.timeoutAt !== null) this.armExecutionTimeout(run, work.timeoutAt);
    this.persist(run.root);
    this.enter(run, run.root, run.root.def.States[run.root.data.state]);
  }

  private beginRedrive(run: Run, at: number, timeoutAt: number | null): void {
    if (!this.store.reopenExecution(run.id, at, timeoutAt)) {
      this.runs.delete(run.arn);
      return;
    }
    this.emit(run, null, 'ExecutionRedriven', { redriveCount: run.ctxExecution.RedriveCount });
    if (timeoutAt !== null) this.armExecutionTimeout(run, timeoutAt);
    this.persist(run.root);
    this.enter(run, run.root, run.root.def.States[run.root.data.state]);
  }

  private setPhase(frame: Frame, phase: FrameData['phase']): void {
    frame.data.phase = phase;
    frame.gen++;
    this.persist(frame);
  }

  private enter(run: Run, frame: Frame, state: StateDefinition): void {
    // One clock read per transition, shared by its events (Date.now() costs ~60 ns here; a Pass takes less).
    const now = Date.now();
    if (frame.data.fresh) {
      frame.data.fresh = false;
      frame.data.enteredTime = iso(now);
      frame.data.retryCount = 0;
      if (frame.data.attempts.length !== 0) frame.data.attempts = [];
      frame.data.enteredEventId = this.emit(run, frame, ENTERED[state.Type], frame.data.state, 'input', frame.data.input, now);
      this.transitionListener?.(run.arn, frame.data.state);
    }
    const token = state.Type === 'Task' && needsTaskToken(state) ? newTaskToken() : undefined;
    // A Pass without Parameters or a Succeed never reads `$$`: skip building it (hot in long chains).
    if (isJsonata(state)) {
      this.evaluate(frame, { kind: 'enter', ...(token ? { token } : {}) });
      return;
    }
    let env: StateEnv;
    const bare = (state.Type === 'Pass' && state.Parameters === undefined && state.Assign === undefined) || state.Type === 'Succeed';
    if (bare && !readsBeyondInput(state.InputPath) && !readsBeyondInput(state.OutputPath)) {
      env = this.bareEnv;
      env.now = now;
    } else env = this.env(run, frame, now, token);
    const step = enterState(state, frame.data.input, env);
    this.transition(run, frame, state, step, token, now);
  }

  /** Acts on a state's step; `now` is the clock read of a state entered in the same breath (else read here). */
  private transition(run: Run, frame: Frame, state: StateDefinition, step: StateStep, token?: string, now?: number): void {
    switch (step.kind) {
      case 'next':
        // Task/Parallel/Map/Wait emit their exit event on their completion paths.
        if (state.Type === 'Pass' || state.Type === 'Choice' || state.Type === 'Succeed') this.exitState(run, frame, state, step.output, now, step.assign);
        if (step.next === null) this.finishFrame(run, frame, step.output);
        else this.goTo(frame, step.next, step.output);
        return;
      case 'fail':
        this.stateFailed(run, frame, state, located(step.error, frame));
        return;
      case 'wait':
        frame.data.waitOutput = step.output;
        if (step.assign) frame.data.waitAssign = step.assign;
        frame.data.dueAt = step.untilMs;
        this.setPhase(frame, 'wait');
        this.effects.push({ kind: 'timer', key: `${frame.data.id}:due`, frame, gen: frame.gen, at: step.untilMs, event: { type: 'timer' } });
        return;
      case 'task':
        this.scheduleTask(run, frame, state, step.call, token);
        return;
      case 'parallel':
      case 'map':
        this.fork(run, frame, state, step);
        return;
    }
  }

  private goTo(frame: Frame, next: string, output: JsonValue): void {
    frame.data.state = next;
    frame.data.input = output;
    frame.data.fresh = true;
    frame.data.task = undefined;
    frame.data.waitOutput = undefined;
    frame.data.dueAt = undefined;
    this.setPhase(frame, 'ready');
    if (this.inline !== frame) this.queue.push({ kind: 'frame', frame, gen: frame.gen, event: { type: 'enter' } });
  }

  /** Emits the state's exit; its Assign (if any) takes effect here, after everything the state evaluated. */
  private exitState(run: Run, frame: Frame, state: StateDefinition, output: JsonValue, now?: number, assign?: Record<string, JsonValue>): void {
    if (!assign) {
      this.emit(run, frame, EXITED[state.Type], frame.data.state, 'output', output, now);
      return;
    }
    frame.data.vars = { ...(frame.data.vars ?? {}), ...assign };
    this.persist(frame);
    const details = { name: frame.data.state, assignedVariables: checkAssignment(assign), assignedVariablesDetails: TRUNCATED_NO };
    this.emit(run, frame, EXITED[state.Type], details, 'output', output, now);
  }

  // ------------------------------------------------------------------ JSONata

  /** Starts evaluating a JSONata state's expressions; the result comes back as an `evaluated` event. */
  private evaluate(frame: Frame, evaluation: Evaluation): void {
    frame.data.evaluation = evaluation;
    this.setPhase(frame, 'evaluating');
    this.effects.push({ kind: 'evaluate', frame, gen: frame.gen });
  }

  /** Runs after the commit (JSONata evaluates asynchronously, so never inside a batch). */
  private runEvaluation(frame: Frame, gen: number): void {
    const run = this.runs.get(frame.runArn);
    const evaluation = frame.data.evaluation;
    if (!run || !evaluation) return;
    const state = frame.def.States[frame.data.state];
    const env = this.env(run, frame, Date.now(), evaluation.kind === 'enter' ? evaluation.token : undefined);
    const input = frame.data.input;
    let pending: Promise<(FrameEvent & { type: 'evaluated' })['step']>;
    if (evaluation.kind === 'enter') pending = enterJsonataState(state, input, env);
    else if (evaluation.kind === 'complete') pending = completeJsonataState(state, input, evaluation.result, env);
    else pending = catchJsonataError(state.Catch![evaluation.catcherIndex], input, new TaskError(evaluation.error, evaluation.cause), env);
    void pending.then((step) => {
      if (!this.closed) this.enqueue({ kind: 'frame', frame, gen, event: { type: 'evaluated', step } });
    });
  }

  private evaluated(run: Run, frame: Frame, state: StateDefinition, step: (FrameEvent & { type: 'evaluated' })['step']): void {
    const evaluation = frame.data.evaluation!;
    frame.data.evaluation = undefined;
    if (step.kind === 'fail' && step.error.name === 'States.QueryEvaluationError') {
      const location = (step.error as StatesError & { location?: string }).location;
      this.emit(run, frame, 'EvaluationFailed', { state: frame.data.state, error: step.error.name, cause: step.error.causeText, ...(location ? { location } : {}) });
    }
    if (evaluation.kind === 'catch') {
      if (step.kind === 'catch') {
        this.exitState(run, frame, state, step.output, undefined, step.assign);
        this.goTo(frame, step.next, step.output);
      } else if (step.kind === 'fail') this.failFrame(run, frame, step.error);
      return;
    }
    if (step.kind === 'catch') return;
    if (evaluation.kind === 'complete' && step.kind === 'next') this.exitState(run, frame, state, step.output, undefined, step.assign);
    this.transition(run, frame, state, step, evaluation.kind === 'enter' ? evaluation.token : undefined);
  }

  private scheduleTask(run: Run, frame: Frame, state: StateDefinition, call: TaskCall, token?: string): void {
    const now = Date.now();
    const resource = call.kind === 'invoke' ? (call.waitForTaskToken ? 'invoke.waitForTaskToken' : 'invoke') : call.waitForTaskToken ? 'function.waitForTaskToken' : call.functionName;
    const requestId = attemptRequestId([run.arn, frame.data.id, frame.data.state, frame.data.enteredTime, frame.data.retryCount]);
    frame.data.task = {
      call,
      resource,
      token,
      submitted: false,
      requestId,
      timeoutAt: call.timeoutSeconds ? now + call.timeoutSeconds * 1000 : null,
      heartbeatAt: call.heartbeatSeconds && token ? now + call.heartbeatSeconds * 1000 : null,
    };
    this.setPhase(frame, 'task');
    const lambdaEvents = call.kind === 'direct' && !call.waitForTaskToken;
    if (lambdaEvents) {
      this.emit(run, frame, 'LambdaFunctionScheduled', { resource: state.Resource, inputDetails: TRUNCATED_NO, ...(call.timeoutSeconds ? { timeoutInSeconds: call.timeoutSeconds } : {}) }, 'input', call.payload);
      this.emit(run, frame, 'LambdaFunctionStarted', null);
    } else {
      const parameters = call.kind === 'invoke' ? { FunctionName: call.functionName, Payload: call.payload } : call.payload;
      this.emit(run, frame, 'TaskScheduled', {
        resourceType: 'lambda',
        resource,
        region: this.scope.region,
        parameters: json(parameters),
        ...(call.timeoutSeconds ? { timeoutInSeconds: call.timeoutSeconds } : {}),
        ...(call.heartbeatSeconds ? { heartbeatInSeconds: call.heartbeatSeconds } : {}),
      });
      this.emit(run, frame, 'TaskStarted', { resourceType: 'lambda', resource });
    }
    if (token) {
      this.store.putToken({ token, exec: run.arn, frame: frame.data.id, status: 'waiting' });
      run.stored = true;
      this.tokens.set(token, frame);
    }
    this.armTaskTimers(frame);
    this.effects.push({ kind: 'invoke', frame, gen: frame.gen });
  }

  private armTaskTimers(frame: Frame): void {
    const task = frame.data.task!;
    if (task.timeoutAt !== null) this.effects.push({ kind: 'timer', key: `${frame.data.id}:timeout`, frame, gen: frame.gen, at: task.timeoutAt, event: { type: 'taskTimeout', heartbeat: false } });
    if (task.heartbeatAt !== null) this.effects.push({ kind: 'timer', key: `${frame.data.id}:heartbeat`, frame, gen: frame.gen, at: task.heartbeatAt, event: { type: 'taskTimeout', heartbeat: true } });
  }

  /** Runs the function after the commit; its outcome comes back as queued work. */
  private invoke(frame: Frame, gen: number): void {
    const task = frame.data.task!;
    const run = this.runs.get(frame.runArn);
    if (!run) return;
    const call = task.call;
    const timeoutMs = (call.timeoutSeconds ?? 900) * 1000;
    const identity = {
      executionArn: run.arn,
      stateName: frame.data.state,
      stateEnteredTime: frame.data.enteredTime,
      retryCount: frame.data.retryCount,
      ...(task.token ? { taskToken: task.token } : {}),
      idempotencyKey: `${run.arn}#${frame.data.state}#${frame.data.enteredTime}#${frame.data.retryCount}`,
    };
    if (!this.functions.has(call.functionName)) {
      // A function this runtime never registered is a broken install, not a task that failed:
      // States.Runtime passes every Retry and Catch, so no workflow can read it as a tool's answer.
      const cause = `Lambda.ResourceNotFoundException: no function named ${call.functionName} is registered in the local runtime`;
      this.enqueue({ kind: 'frame', frame, gen, event: { type: 'result', ok: false, error: 'States.Runtime', cause } });
      return;
    }
    void this.functions.invoke(call.functionName, call.payload, { requestId: task.requestId, timeoutMs, task: identity }).then((result) => {
      if (this.closed) return;
      let event: FrameEvent;
      if (!result.ok) event = { type: 'result', ok: false, error: result.failure.error, cause: result.failure.cause };
      else if (call.waitForTaskToken) event = { type: 'submitted' };
      else event = { type: 'result', ok: true, value: result.payload as JsonValue };
      this.enqueue({ kind: 'frame', frame, gen, event });
    });
  }

  private taskFinished(run: Run, frame: Frame, state: StateDefinition, event: FrameEvent & { type: 'result' }): void {
    const task = frame.data.task!;
    this.endTask(frame, 'done');
    const lambdaEvents = task.call.kind === 'direct' && !task.call.waitForTaskToken;
    if (event.ok) {
      if (lambdaEvents) this.emit(run, frame, 'LambdaFunctionSucceeded', { outputDetails: TRUNCATED_NO }, 'output', event.value);
      else this.emit(run, frame, 'TaskSucceeded', { resourceType: 'lambda', resource: task.resource, outputDetails: TRUNCATED_NO }, 'output', event.value);
      const result = taskResult(task.call, event.value, task.requestId);
      if (isJsonata(state)) {
        this.evaluate(frame, { kind: 'complete', result });
        return;
      }
      const step = completeState(state, frame.data.input, result, this.env(run, frame, Date.now(), task.token));
      if (step.kind === 'next') this.exitState(run, frame, state, step.output, undefined, step.assign);
      this.transition(run, frame, state, step);
    } else {
      if (lambdaEvents) this.emit(run, frame, 'LambdaFunctionFailed', { error: event.error, cause: event.cause });
      else this.emit(run, frame, 'TaskFailed', { resourceType: 'lambda', resource: task.resource, error: event.error, cause: event.cause });
      this.stateFailed(run, frame, state, new TaskError(event.error, event.cause));
    }
  }

  private taskTimedOut(run: Run, frame: Frame, state: StateDefinition, heartbeat: boolean): void {
    const task = frame.data.task!;
    const error = heartbeat ? new StatesHeartbeatTimeoutError() : new StatesTimeoutError();
    this.endTask(frame, 'timed_out');
    if (task.call.kind === 'direct' && !task.call.waitForTaskToken) this.emit(run, frame, 'LambdaFunctionTimedOut', { error: error.name, cause: error.causeText });
    else this.emit(run, frame, 'TaskTimedOut', { resourceType: 'lambda', resource: task.resource, error: error.name, cause: error.causeText });
    this.stateFailed(run, frame, state, error);
  }

  private endTask(frame: Frame, tokenStatus: 'done' | 'timed_out'): void {
    const token = frame.data.task?.token;
    if (token) {
      this.tokens.delete(token);
      this.store.setTokenStatus(token, tokenStatus);
    }
    this.clearFrameTimers(frame);
  }

  /** Retry, Catch, or fail the frame. */
  private stateFailed(run: Run, frame: Frame, state: StateDefinition, error: StatesError): void {
    frame.data.task = undefined;
    const outcome = recoverFromError(state, frame.data.input, error, frame.data.attempts, undefined, state.Catch && !isJsonata(state) ? (this.context(run, frame) as unknown as JsonValue) : null);
    if (outcome.kind === 'retry') {
      frame.data.attempts[outcome.retrierIndex] = (frame.data.attempts[outcome.retrierIndex] ?? 0) + 1;
      frame.data.retryCount++;
      frame.data.dueAt = Date.now() + outcome.delayMs;
      this.setPhase(frame, 'retry');
      this.effects.push({ kind: 'timer', key: `${frame.data.id}:due`, frame, gen: frame.gen, at: frame.data.dueAt, event: { type: 'timer' } });
      return;
    }
    if (outcome.kind === 'catch') {
      const catcher = state.Catch![outcome.catcherIndex];
      if (isJsonata(state) && (catcher.Output !== undefined || catcher.Assign !== undefined)) {
        this.evaluate(frame, { kind: 'catch', catcherIndex: outcome.catcherIndex, error: error.name, cause: error.causeText });
        return;
      }
      this.exitState(run, frame, state, outcome.output, undefined, outcome.assign);
      this.goTo(frame, outcome.next, outcome.output);
      return;
    }
    this.failFrame(run, frame, outcome.error);
  }

  private finishFrame(run: Run, frame: Frame, output: JsonValue): void {
    if (!frame.parent) {
      this.closeRun(run, 'SUCCEEDED', { output });
      return;
    }
    frame.data.output = output;
    this.setPhase(frame, 'done');
    const parent = frame.parent;
    const fork = parent.data.fork!;
    fork.running--;
    fork.finished++;
    if (fork.kind === 'map') this.emit(run, parent, 'MapIterationSucceeded', { name: parent.data.state, index: frame.data.idx });
    this.advanceFork(run, parent);
  }

  private failFrame(run: Run, frame: Frame, error: StatesError): void {
    if (!frame.parent) {
      this.closeRun(run, 'FAILED', { error: error.name, cause: error.causeText });
      return;
    }
    frame.data.failure = { error: error.name, cause: error.causeText };
    this.setPhase(frame, 'failed');
    const parent = frame.parent;
    const fork = parent.data.fork!;
    const parentState = parent.def.States[parent.data.state];
    fork.running--;
    fork.failed++;
    if (fork.kind === 'map') this.emit(run, parent, 'MapIterationFailed', { name: parent.data.state, index: frame.data.idx, error: error.name, cause: error.causeText });
    const tolerant = fork.kind === 'map' && (fork.toleratedCount !== null || fork.toleratedPercentage !== null);
    if (!tolerant || exceedsTolerance(fork.failed, fork.total, fork.toleratedCount, fork.toleratedPercentage)) {
      const cause = tolerant ? new StatesExceedToleratedFailureThresholdError(`The Map state failed: ${fork.failed} of ${fork.total} iterations failed, more than tolerated`) : error;
      this.emit(run, parent, `${parentState.Type}StateFailed`, null);
      this.abortChildren(run, parent);
      parent.data.fork = undefined;
      this.stateFailed(run, parent, parentState, cause);
      return;
    }
    this.advanceFork(run, parent);
  }

  private fork(run: Run, frame: Frame, state: StateDefinition, step: StateStep & { kind: 'parallel' | 'map' }): void {
    const children: Frame[] = [];
    if (step.kind === 'parallel') {
      this.emit(run, frame, 'ParallelStateStarted', null);
      state.Branches!.forEach((branch, i) => children.push(new Frame(this.frameData(frame.data.id, i, branch.StartAt, step.input, 'pending'), run.arn, frame, branch)));
    } else {
      this.emit(run, frame, 'MapStateStarted', { length: step.items.length });
      const processor = mapProcessor(state);
      const ctx = this.context(run, frame);
      try {
        step.items.forEach((item, i) => {
          const input = step.itemInputs ? step.itemInputs[i] : mapItemInput(state, step.input, item, i, ctx);
          children.push(new Frame(this.frameData(frame.data.id, i, processor.StartAt, input, 'pending'), run.arn, frame, processor));
        });
      } catch (error) {
        this.emit(run, frame, 'MapStateFailed', null);
        this.stateFailed(run, frame, state, toStatesError(error));
        return;
      }
    }
    frame.children = children;
    for (const child of children) run.frames.set(child.data.id, child);
    frame.data.fork = {
      kind: step.kind,
      total: children.length,
      running: 0,
      finished: 0,
      failed: 0,
      nextIndex: 0,
      maxConcurrency: step.kind === 'map' ? step.maxConcurrency : 0,
      toleratedCount: step.kind === 'map' ? step.toleratedCount : null,
      toleratedPercentage: step.kind === 'map' ? step.toleratedPercentage : null,
    };
    this.setPhase(frame, 'fork');
    for (const child of children) this.persist(child);
    this.advanceFork(run, frame);
  }

  private advanceFork(run: Run, parent: Frame): void {
    const fork = parent.data.fork!;
    const state = parent.def.States[parent.data.state];
    while (fork.nextIndex < fork.total && (fork.maxConcurrency === 0 || fork.running < fork.maxConcurrency)) {
      const child = parent.children[fork.nextIndex++];
      fork.running++;
      if (fork.kind === 'map') this.emit(run, parent, 'MapIterationStarted', { name: parent.data.state, index: child.data.idx });
      child.data.phase = 'ready';
      child.gen++;
      this.persist(child);
      this.queue.push({ kind: 'frame', frame: child, gen: child.gen, event: { type: 'enter' } });
    }
    this.persist(parent);
    if (fork.finished + fork.failed < fork.total) return;
    const results = parent.children.map((c) => (c.data.phase === 'done' ? (c.data.output ?? null) : { Error: c.data.failure?.error ?? '', Cause: c.data.failure?.cause ?? '' }));
    this.emit(run, parent, fork.kind === 'map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded', null);
    this.dropChildren(run, parent);
    parent.data.fork = undefined;
    if (isJsonata(state)) {
      this.evaluate(parent, { kind: 'complete', result: results });
      return;
    }
    const step = completeState(state, parent.data.input, results, this.env(run, parent, Date.now()));
    if (step.kind === 'next') this.exitState(run, parent, state, step.output, undefined, step.assign);
    this.transition(run, parent, state, step);
  }

  private dropChildren(run: Run, parent: Frame): void {
    for (const child of parent.children) {
      if (child.children.length) this.dropChildren(run, child);
      child.dead = true;
      this.clearFrameTimers(child);
      run.frames.delete(child.data.id);
      this.persist(child);
    }
    parent.children = [];
  }

  private abortChildren(run: Run, parent: Frame): void {
    for (const child of parent.children) {
      const active = child.data.phase !== 'done' && child.data.phase !== 'failed' && child.data.phase !== 'pending';
      if (active && child.data.task) this.endTask(child, 'done');
      if (active && parent.data.fork?.kind === 'map') this.emit(run, parent, 'MapIterationAborted', { name: parent.data.state, index: child.data.idx });
      if (child.children.length) this.abortChildren(run, child);
    }
    this.dropChildren(run, parent);
  }

  private closeRun(run: Run, status: ExecutionStatus, result: { output?: JsonValue; error?: string; cause?: string }): void {
    const stopped = Date.now();
    const output = status === 'SUCCEEDED' ? json(result.output ?? null) : null;
    const pending = run.pendingRow;
    if (pending) Object.assign(pending, { status, stopped, output, error: result.error ?? null, cause: result.cause ?? null });
    else if (!this.store.closeExecution({ id: run.id, status, stopped, output, error: result.error ?? null, cause: result.cause ?? null })) return;
    run.status = status;
    // Where a redrive would continue: the top-level state the execution closed in.
    if (status !== 'SUCCEEDED') {
      // Data too deep to serialise (the reason such a run fails) leaves no redrive point: the failure itself must still be recorded.
      let point: string | undefined;
      try {
        point = json({ state: run.root.data.state, input: run.root.data.input, vars: run.root.data.vars });
      } catch {
        point = undefined;
      }
      if (point !== undefined) this.store.putRedrivePoint(run.id, point);
    }
    if (status === 'SUCCEEDED') this.emit(run, null, 'ExecutionSucceeded', { outputDetails: TRUNCATED_NO }, 'output', result.output ?? null);
    else {
      const type = status === 'FAILED' ? 'ExecutionFailed' : status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut';
      const details: Record<string, string> = {};
      if (result.error) details.error = result.error;
      if (result.cause) details.cause = result.cause;
      this.emit(run, null, type, details);
    }
    for (const frame of run.frames.values()) {
      frame.dead = true;
      this.clearFrameTimers(frame);
      if (frame.data.task?.token) this.tokens.delete(frame.data.task.token);
      this.dirty.delete(frame);
    }
    if (run.stored) {
      this.store.deleteFrames(run.arn);
      this.store.closeTokens(run.arn);
    }
    if (run.timeoutTimer) clearTimeout(run.timeoutTimer);
    this.runs.delete(run.arn);
    const id = run.identity;
    const row: ExecutionRow = { id: run.id, arn: run.arn, sm_arn: id.stateMachineArn, name: run.name, def_hash: '', role_arn: id.roleArn, input: run.inputText, status, started: run.started, stopped, output, error: result.error ?? null, cause: result.cause ?? null, timeout_at: null };
    const waiters = this.closeWaiters.get(run.arn);
    this.closeWaiters.delete(run.arn);
    // Visible (and waiters resolved) once this batch has committed.
    this.afterCommit.push(() => {
      if (this.recentlyClosed.size >= 1000) this.recentlyClosed.delete(this.recentlyClosed.keys().next().value!);
      this.recentlyClosed.set(run.arn, row);
      for (const w of waiters ?? []) w(row);
    });
  }

  // ------------------------------------------------------------------ restart

  private resumeExecution(row: ExecutionRow): void {
    const text = this.store.getDefinition(row.def_hash);
    const rows = this.store.framesOf(row.arn);
    const rootRow = rows.find((r) => (JSON.parse(r.body) as FrameData).parent === null);
    if (!text || !rootRow) {
      this.store.closeExecution({ id: row.id, status: 'FAILED', stopped: Date.now(), output: null, error: 'States.Runtime', cause: 'The execution could not be resumed: its stored state is incomplete' });
      return;
    }
    const def = this.definition(row.def_hash, text);
    const datas = rows.map((r) => JSON.parse(r.body) as FrameData);
    const run = this.newRun(row.id, row.arn, row.name, row.sm_arn, row.role_arn, JSON.parse(row.input) as JsonValue, row.started, def, this.store.maxEventId(row.id), datas.find((d) => d.parent === null), this.store.getRedrive(row.id)?.count ?? 0);
    const byId = new Map<number, Frame>([[run.root.data.id, run.root]]);
    // Parents always have smaller ids than their children, so one ordered pass links the tree.
    for (const data of datas.sort((a, b) => a.id - b.id)) {
      if (data.parent === null) continue;
      const parent = byId.get(data.parent);
      if (!parent) continue;
      const parentState = parent.def.States[parent.data.state];
      const def = parentState.Type === 'Parallel' ? parentState.Branches![data.idx] : mapProcessor(parentState);
      const frame = new Frame(data, row.arn, parent, def);
      frame.stored = true;
      parent.children[data.idx] = frame;
      byId.set(data.id, frame);
      run.frames.set(data.id, frame);
    }
    run.root.stored = true;
    run.stored = true;
    run.inputText = row.input;
    this.runs.set(row.arn, run);
    if (row.timeout_at !== null) this.armExecutionTimeout(run, row.timeout_at);
    for (const frame of byId.values()) {
      const d = frame.data;
      switch (d.phase) {
        case 'ready':
          this.queue.push({ kind: 'frame', frame, gen: frame.gen, event: { type: 'enter' } });
          break;
        case 'wait':
        case 'retry':
          this.setTimer(`${d.id}:due`, frame, frame.gen, d.dueAt ?? Date.now(), { type: 'timer' });
          break;
        case 'evaluating':
          this.runEvaluation(frame, frame.gen);
          break;
        case 'task': {
          const task = d.task!;
          if (task.token) this.tokens.set(task.token, frame);
          if (task.timeoutAt !== null) this.setTimer(`${d.id}:timeout`, frame, frame.gen, task.timeoutAt, { type: 'taskTimeout', heartbeat: false });
          if (task.heartbeatAt !== null) this.setTimer(`${d.id}:heartbeat`, frame, frame.gen, task.heartbeatAt, { type: 'taskTimeout', heartbeat: true });
          // At least once: an invocation that may not have completed before the crash runs again.
          if (!task.token || !task.submitted) this.invoke(frame, frame.gen);
          break;
        }
        default:
          break;
      }
    }
  }
}
