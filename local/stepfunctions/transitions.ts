/**
 * Stepping states: what one unit of work does to an execution inside a
 * batch. Entering a state, acting on its step (next, fail, wait, task, fork),
 * leaving it, Retry and Catch, and a frame reaching its end. Tasks, forks and
 * JSONata evaluation live in their own modules and call back in here.
 */
import { StatesError, TaskError } from '../asl/errors';
import { completeState, enterState, recoverFromError } from '../asl/executor';
import { readsBeyondInput } from '../asl/io';
import { isJsonata } from '../asl/query-language';
import { forwardsItsInput } from '../asl/states/pass';
import { needsTaskToken } from '../asl/states/task';
import type { StateEnv, StateStep } from '../asl/step';
import type { JsonValue, StateDefinition } from '../asl/types';
import { checkAssignment } from '../asl/variables';
import { Closings } from './closing';
import type { EngineCore } from './core';
import { Forks } from './forks';
import { NO_ATTEMPTS, type Frame } from './frame';
import { JsonataEvaluation, type EvaluationHost } from './jsonata-evaluation';
import { ELIDED_STARTED } from './row-compaction';
import { ENTER, iso, type Run, type StartWork, type Work } from './run';
import { contextObject, NO_CONTEXT, stateEnv } from './state-context';
import { MAX_HISTORY_EVENTS } from './store';
import { TaskInvocation, type TaskHost } from './task-invocation';
import { newTaskToken } from './task-token';

/** `<Type>StateEntered`/`Exited` as constants: a fresh template string per transition costs a hash in the chunk writer. */
const ENTERED: Record<StateDefinition['Type'], string> = {
  Pass: 'PassStateEntered',
  Task: 'TaskStateEntered',
  Choice: 'ChoiceStateEntered',
  Wait: 'WaitStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
  Parallel: 'ParallelStateEntered',
  Map: 'MapStateEntered',
};
const EXITED: Record<StateDefinition['Type'], string> = {
  Pass: 'PassStateExited',
  Task: 'TaskStateExited',
  Choice: 'ChoiceStateExited',
  Wait: 'WaitStateExited',
  Succeed: 'SucceedStateExited',
  Fail: 'FailStateExited',
  Parallel: 'ParallelStateExited',
  Map: 'MapStateExited',
};

const TRUNCATED_NO = { truncated: false };

/**
 * Forwarding Passes stepped one after another on one clock read (Batch.clock): Date.now() costs ~70 ns here, about as much
 * as the rest of such a Pass, and the 16 take a few microseconds (their millisecond timestamps are those of their moment
 * but for a step that crosses a millisecond within them). Any other state reads the clock anew.
 */
const PASSES_PER_CLOCK_READ = 16;

/** A JSONPath Pass whose output is its input. */
function forwardsInput(state: StateDefinition): boolean {
  return state.Type === 'Pass' && state.QueryLanguage !== 'JSONata' && forwardsItsInput(state);
}

/**
 * AWS names the state and its entry event in the Cause of an error the
 * interpreter raises (recorded executions: "An error occurred while executing
 * the state 'X' (entered at the event id #8). The JSONPath …").
 */
function located(error: StatesError, frame: Frame): StatesError {
  if (error instanceof TaskError || (error.name !== 'States.Runtime' && error.name !== 'States.QueryEvaluationError')) return error;
  return new StatesError(
    error.name,
    `An error occurred while executing the state '${frame.data.state}' (entered at the event id #${frame.data.enteredEventId ?? 0}). ${error.causeText}`,
  );
}

export class Transitions implements TaskHost, EvaluationHost {
  readonly tasks: TaskInvocation;
  readonly forks: Forks;
  readonly evaluation: JsonataEvaluation;
  readonly closings: Closings;
  transitionListener?: (executionArn: string, stateName: string) => void;
  private readonly batch;
  private readonly knownDefinitions = new Set<string>();
  /**
   * The environment of a Pass without Parameters or a Succeed (they never read `$$`): one object,
   * its clock set per use; handlers are pure and keep no reference.
   */
  private readonly bareEnv: StateEnv = { now: 0, context: NO_CONTEXT };

  constructor(private readonly core: EngineCore) {
    this.batch = core.batch;
    this.tasks = new TaskInvocation(core, this);
    this.forks = new Forks(core, this, this.tasks);
    this.evaluation = new JsonataEvaluation(core, this);
    this.closings = new Closings(core, this.tasks);
  }

  process(work: Work): void {
    if (work.kind === 'start') {
      this.begin(work);
      return;
    }
    if (work.kind === 'close') {
      if (work.run.status === 'RUNNING') this.closings.close(work.run, work.status, { error: work.error, cause: work.cause });
      return;
    }
    if (work.kind === 'redrive') {
      this.beginRedrive(work.run, work.at, work.timeoutAt);
      return;
    }
    const { frame, event } = work;
    const run = this.core.runs.get(frame.runArn);
    if (!run || run.status !== 'RUNNING' || frame.dead || work.gen !== frame.gen) return;
    if (run.lastEventId >= MAX_HISTORY_EVENTS) {
      this.closings.close(run, 'FAILED', { error: 'States.Runtime', cause: `The execution history exceeded ${MAX_HISTORY_EVENTS} events` });
      return;
    }
    const state = frame.state;
    const batch = this.batch;
    switch (event.type) {
      case 'enter':
        this.stepInline(run, frame);
        return;
      case 'timer':
        if (frame.data.phase === 'wait') {
          this.exitState(run, frame, state, frame.data.waitOutput ?? null, undefined, frame.data.waitAssign);
          frame.data.waitAssign = undefined;
          batch.inline = frame;
          this.transition(run, frame, state, { kind: 'next', next: state.End ? null : (state.Next ?? null), output: frame.data.waitOutput ?? null });
          this.stepInline(run, frame);
        } else if (frame.data.phase === 'retry') {
          batch.setPhase(frame, 'ready');
          this.stepInline(run, frame);
        }
        return;
      case 'result':
        if (frame.data.phase !== 'task') return;
        // The state it leads to is entered in this batch too: its frame is then often never rewritten (a task resumed
        // into a Pass and the end writes the execution's close, not a frame row that the close deletes again).
        batch.inline = frame;
        this.tasks.finished(run, frame, state, event);
        this.stepInline(run, frame);
        return;
      case 'submitted':
        if (frame.data.phase === 'task' && frame.data.task) this.tasks.submitted(run, frame);
        return;
      case 'taskTimeout':
        if (frame.data.phase === 'task') this.tasks.timedOut(run, frame, state, event.heartbeat);
        return;
      case 'evaluated':
        if (frame.data.phase === 'evaluating') this.evaluation.evaluated(run, frame, state, event.step);
        return;
      case 'heartbeat':
        if (frame.data.phase === 'task' && frame.data.task) this.tasks.heartbeat(frame);
        return;
    }
  }

  /**
   * Steps `frame` through the states it can enter now (Pass, Choice, a Task up to its call…) in a loop rather
   * than through the queue; what the batch bound leaves is queued. The bound also bounds the events written
   * between two history-limit checks.
   */
  private stepInline(run: Run, frame: Frame): void {
    const batch = this.batch;
    batch.inline = frame;
    // The first state shares the clock read of the work that led here (a task's result, a start); each later one its own
    // (forwarding Passes one per PASSES_PER_CLOCK_READ). What follows the last shares it too (see Batch.nextWork).
    let passesOnClock = PASSES_PER_CLOCK_READ;
    let readAgain = false;
    while (frame.data.phase === 'ready' && !frame.dead && run.status === 'RUNNING' && batch.steps++ < batch.maxBatch) {
      const state = frame.state;
      if (readAgain || passesOnClock === 0) {
        batch.nextStep();
        passesOnClock = PASSES_PER_CLOCK_READ;
        readAgain = false;
      }
      if (forwardsInput(state) && frame.data.fresh && !frame.data.redriveFork) {
        passesOnClock--;
        this.pass(run, frame, state, batch.clock());
      } else {
        this.enter(run, frame, state);
        readAgain = true;
      }
    }
    batch.inline = null;
    if (frame.data.phase === 'ready' && !frame.dead && run.status === 'RUNNING') batch.queue.push({ kind: 'frame', frame, gen: frame.gen, event: ENTER });
  }

  /** Records a new execution and enters its first state, in the same transaction. */
  private begin(work: StartWork): void {
    const { run } = work;
    if (!this.knownDefinitions.has(work.defHash)) {
      this.core.store.putDefinition(work.defHash, work.definitionText);
      this.knownDefinitions.add(work.defHash);
    }
    // Written at the end of the batch: an execution that also finishes in this batch is inserted closed (one write, no update).
    run.pendingRow = {
      id: run.id,
      arn: run.arn,
      sm_arn: run.ctxMachine.Id,
      name: run.name,
      def_hash: work.defHash,
      role_arn: run.ctxExecution.RoleArn,
      input: run.inputText,
      status: 'RUNNING',
      started: run.started,
      stopped: null,
      output: null,
      error: null,
      cause: null,
      timeout_at: work.timeoutAt,
    };
    this.batch.pendingRows.push(run);
    // Its details are its row's input, role and machine: written left out (see ELIDED_STARTED), rebuilt when read.
    this.batch.emit(run, null, 'ExecutionStarted', ELIDED_STARTED);
    if (work.timeoutAt !== null) this.core.timers.armExecutionTimeout(run, work.timeoutAt);
    this.batch.persist(run.root);
    // Stepped as far as it goes now: an execution that ends in the batch that started it is written once, closed, with its
    // history in its row; one begun here and left to a later batch writes its frame, then updates its row and deletes the frame.
    this.stepInline(run, run.root);
  }

  private beginRedrive(run: Run, at: number, timeoutAt: number | null): void {
    if (!this.core.store.reopenExecution(run.id, at, timeoutAt)) {
      this.core.runs.delete(run.arn);
      return;
    }
    this.batch.emit(run, null, 'ExecutionRedriven', { redriveCount: run.ctxExecution.RedriveCount });
    if (timeoutAt !== null) this.core.timers.armExecutionTimeout(run, timeoutAt);
    this.batch.persist(run.root);
    this.enter(run, run.root, run.root.def.States[run.root.data.state]);
  }

  /**
   * A Pass that forwards its input (most of a long chain): entered and left at `now` (see PASSES_PER_CLOCK_READ), the same
   * events, frame changes and listener call as through enter(), without building a step.
   */
  private pass(run: Run, frame: Frame, state: StateDefinition, now: number): void {
    const data = frame.data;
    data.fresh = false;
    data.enteredTime = iso(now);
    data.retryCount = 0;
    if (data.attempts.length !== 0) data.attempts = NO_ATTEMPTS;
    const next = state.End ? null : (state.Next ?? null);
    // A top-level Pass's Next is read back from the execution's definition: a run of them is stored as its length.
    data.enteredEventId = this.batch.emitPass(run, frame, data.state, data.input, now, frame.parent === null && next !== null ? next : undefined);
    this.transitionListener?.(run.arn, data.state);
    if (next === null) this.finishFrame(run, frame, data.input);
    else this.goTo(frame, next, data.input);
  }

  private enter(run: Run, frame: Frame, state: StateDefinition): void {
    // One clock read per transition, shared by its events (see Batch.clock).
    const now = this.batch.clock();
    if (frame.data.fresh) {
      frame.data.fresh = false;
      frame.data.enteredTime = iso(now);
      frame.data.retryCount = 0;
      if (frame.data.attempts.length !== 0) frame.data.attempts = NO_ATTEMPTS;
      frame.data.enteredEventId = this.batch.emit(run, frame, ENTERED[state.Type], frame.data.state, 'input', frame.data.input, now);
      this.transitionListener?.(run.arn, frame.data.state);
    }
    if (frame.data.redriveFork) {
      this.forks.resume(run, frame, state);
      return;
    }
    const token = state.Type === 'Task' && needsTaskToken(state) ? newTaskToken() : undefined;
    if (isJsonata(state)) {
      this.evaluation.evaluate(frame, { kind: 'enter', ...(token ? { token } : {}) });
      return;
    }
    // A Pass without Parameters, a Succeed or a Task without Parameters never reads `$$` on entry: skip building it (hot in
    // long chains and Maps; a Task's Assign and OutputPath are applied when it completes).
    let env: StateEnv;
    const bare =
      (state.Type === 'Pass' && state.Parameters === undefined && state.Assign === undefined && !readsBeyondInput(state.OutputPath)) ||
      (state.Type === 'Succeed' && !readsBeyondInput(state.OutputPath)) ||
      (state.Type === 'Task' && state.Parameters === undefined && token === undefined);
    if (bare && !readsBeyondInput(state.InputPath)) {
      env = this.bareEnv;
      env.now = now;
    } else env = stateEnv(run, frame, now, token);
    const step = enterState(state, frame.data.input, env);
    this.transition(run, frame, state, step, token, now);
  }

  /** Acts on a state's step; `now` is the clock read of a state entered in the same breath (else read here). */
  transition(run: Run, frame: Frame, state: StateDefinition, step: StateStep, token?: string, now?: number): void {
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
        this.batch.setPhase(frame, 'wait');
        this.batch.effects.push({ kind: 'timer', key: `${frame.data.id}:due`, frame, gen: frame.gen, at: step.untilMs, event: { type: 'timer' } });
        return;
      case 'task':
        this.tasks.schedule(run, frame, state, step.call, token);
        return;
      case 'parallel':
      case 'map':
        this.forks.fork(run, frame, state, step);
        return;
    }
  }

  /** The state's work produced `result` (a task's or a fork's): its output fields decide what comes next. */
  completed(run: Run, frame: Frame, state: StateDefinition, result: JsonValue, token?: string): void {
    if (isJsonata(state)) {
      this.evaluation.evaluate(frame, { kind: 'complete', result });
      return;
    }
    // Without ResultSelector, Assign or an OutputPath reading `$$` or a variable, completing reads no context (every item of a Map completes).
    let env: StateEnv;
    if (state.ResultSelector === undefined && state.Assign === undefined && !readsBeyondInput(state.OutputPath)) {
      env = this.bareEnv;
      env.now = this.batch.clock();
    } else env = stateEnv(run, frame, this.batch.clock(), token);
    const step = completeState(state, frame.data.input, result, env);
    if (step.kind === 'next') this.exitState(run, frame, state, step.output, undefined, step.assign);
    this.transition(run, frame, state, step);
  }

  goTo(frame: Frame, next: string, output: JsonValue): void {
    frame.data.state = next;
    frame.data.input = output;
    frame.data.fresh = true;
    frame.data.task = undefined;
    frame.data.waitOutput = undefined;
    frame.data.dueAt = undefined;
    frame.data.failedFork = undefined;
    this.batch.setPhase(frame, 'ready');
    if (this.batch.inline !== frame) this.batch.queue.push({ kind: 'frame', frame, gen: frame.gen, event: ENTER });
  }

  /** Emits the state's exit; its Assign (if any) takes effect here, after everything the state evaluated. */
  exitState(run: Run, frame: Frame, state: StateDefinition, output: JsonValue, now?: number, assign?: Record<string, JsonValue>): void {
    if (!assign) {
      this.batch.emit(run, frame, EXITED[state.Type], frame.data.state, 'output', output, now);
      return;
    }
    frame.data.vars = { ...(frame.data.vars ?? {}), ...assign };
    this.batch.persist(frame);
    const details = { name: frame.data.state, assignedVariables: checkAssignment(assign), assignedVariablesDetails: TRUNCATED_NO };
    this.batch.emit(run, frame, EXITED[state.Type], details, 'output', output, now);
  }

  /** Retry, Catch, or fail the frame. */
  stateFailed(run: Run, frame: Frame, state: StateDefinition, error: StatesError): void {
    frame.data.task = undefined;
    const catchContext = state.Catch && !isJsonata(state) ? (contextObject(run, frame) as unknown as JsonValue) : null;
    const outcome = recoverFromError(state, frame.data.input, error, frame.data.attempts, undefined, catchContext);
    if (outcome.kind !== 'fail') frame.data.failedFork = undefined;
    if (outcome.kind === 'retry') {
      // A copy: the count of a frame never retried is the shared empty array (NO_ATTEMPTS), and one state's is never another's.
      const attempts = frame.data.attempts.slice();
      attempts[outcome.retrierIndex] = (attempts[outcome.retrierIndex] ?? 0) + 1;
      frame.data.attempts = attempts;
      frame.data.retryCount++;
      frame.data.dueAt = Date.now() + outcome.delayMs;
      this.batch.setPhase(frame, 'retry');
      this.batch.effects.push({ kind: 'timer', key: `${frame.data.id}:due`, frame, gen: frame.gen, at: frame.data.dueAt, event: { type: 'timer' } });
      return;
    }
    if (outcome.kind === 'catch') {
      const catcher = state.Catch![outcome.catcherIndex];
      if (isJsonata(state) && (catcher.Output !== undefined || catcher.Assign !== undefined)) {
        this.evaluation.evaluate(frame, { kind: 'catch', catcherIndex: outcome.catcherIndex, error: error.name, cause: error.causeText });
        return;
      }
      this.exitState(run, frame, state, outcome.output, undefined, outcome.assign);
      this.goTo(frame, outcome.next, outcome.output);
      return;
    }
    this.failFrame(run, frame, outcome.error);
  }

  private finishFrame(run: Run, frame: Frame, output: JsonValue): void {
    if (frame.parent) this.forks.childFinished(run, frame, output);
    else this.closings.close(run, 'SUCCEEDED', { output });
  }

  failFrame(run: Run, frame: Frame, error: StatesError): void {
    if (frame.parent) this.forks.childFailed(run, frame, error);
    else this.closings.close(run, 'FAILED', { error: error.name, cause: error.causeText });
  }
}
