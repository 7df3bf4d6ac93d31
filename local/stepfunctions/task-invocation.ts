/**
 * Task states: scheduling (history events, task token, timeout and heartbeat
 * timers), invoking the function after the commit, and the outcome coming
 * back as queued work. A Lambda task whose invocation was in flight at a
 * crash runs again on restart (at least once, as on AWS).
 */
import { StatesError, StatesHeartbeatTimeoutError, StatesTimeoutError, TaskError } from '../asl/errors';
import { taskResult } from '../asl/states/task';
import type { TaskCall } from '../asl/step';
import type { TaskIdentity } from '../functions';
import type { JsonValue, StateDefinition } from '../asl/types';
import type { EngineCore } from './core';
import { sfnErrors } from './errors';
import type { Frame, TaskData } from './frame';
import { constantDetails, scheduledDetails, scheduledInvokeDetails } from './history-chunk';
import type { FrameEvent, Run } from './run';
import { isWellFormedToken, newRequestId, requestIdOfToken } from './task-token';

/** What a task hands back to the state stepping once it has an outcome. */
export interface TaskHost {
  /** Retry, Catch, or fail the frame. */
  stateFailed(run: Run, frame: Frame, state: StateDefinition, error: StatesError): void;
  /** The state's work produced `result`: apply its output fields and move on. */
  completed(run: Run, frame: Frame, state: StateDefinition, result: JsonValue, token?: string): void;
}

const TRUNCATED_NO = { truncated: false };
const LAMBDA_SUCCEEDED = constantDetails({ outputDetails: TRUNCATED_NO });
type TaskEventType = 'TaskStarted' | 'TaskSucceeded' | 'TaskSubmitted';
/** `{ resourceType, resource, ... }` details per event type, by resource (a handful of each): encoded once. */
const taskDetails: Record<TaskEventType, Map<string, Record<string, unknown>>> = { TaskStarted: new Map(), TaskSucceeded: new Map(), TaskSubmitted: new Map() };

function detailsOf(type: TaskEventType, resource: string): Record<string, unknown> {
  const byResource = taskDetails[type];
  let details = byResource.get(resource);
  if (!details) {
    details = constantDetails(
      type === 'TaskStarted' ? { resourceType: 'lambda', resource } : { resourceType: 'lambda', resource, outputDetails: TRUNCATED_NO },
    );
    byResource.set(resource, details);
  }
  return details;
}

/** A function accepted a `.waitForTaskToken` invocation (read only: one object for every acceptance). */
const SUBMITTED: FrameEvent = Object.freeze({ type: 'submitted' });

/** The `resource` a task's events name: what kind of call it is, or the function's name for a direct one. */
function resourceOf(call: TaskCall): string {
  if (call.kind === 'invoke') return call.waitForTaskToken ? 'invoke.waitForTaskToken' : 'invoke';
  return call.waitForTaskToken ? 'function.waitForTaskToken' : call.functionName;
}

/**
 * Where a frame sits among the children of the Maps and Parallels above it (`#3` for a Map's fourth item, `#3.1` for
 * the second branch inside it), '' at the top level. A Map's children enter their states in one batch's millisecond,
 * so without it every item of one Map shared one idempotency key and a handler deduplicating on it ran one item.
 */
function forkPath(frame: Frame): string {
  let path = '';
  for (let f: Frame = frame; f.parent; f = f.parent) path = path ? `${f.data.idx}.${path}` : `${f.data.idx}`;
  return path && `#${path}`;
}

/** LambdaFunctionScheduled details of a state without a timeout chosen at run time: encoded once per state. */
const lambdaScheduled = new WeakMap<StateDefinition, Record<string, unknown>>();

export class TaskInvocation {
  /** Tokens of tasks waiting in this process, to their frames. */
  readonly tokens = new Map<string, Frame>();
  private readonly batch;
  /** The last attempt key built (see attemptKey). */
  private lastKey = { executionArn: '', stateName: '', stateEnteredTime: '', retryCount: -1, key: '' };
  /** The resource and region of TaskScheduled details as JSON strings, per resource (a handful): encoded once. */
  private readonly scheduledWhere = new Map<string, string>();

  constructor(
    private readonly core: EngineCore,
    private readonly host: TaskHost,
  ) {
    this.batch = core.batch;
  }

  schedule(run: Run, frame: Frame, state: StateDefinition, call: TaskCall, token?: string): void {
    const now = this.batch.clock();
    const resource = resourceOf(call);
    // `submitted` there from the start, unset: set later, it gave every waiting task a property array of its own. A
    // token's attempt takes its request id from the token, which its frame stores anyway (frame-text.ts).
    const requestId = (token !== undefined && requestIdOfToken(token)) || newRequestId();
    const task: TaskData = { call, token, submitted: undefined, requestId, payloadJson: undefined };
    if (call.timeoutSeconds) task.timeoutAt = now + call.timeoutSeconds * 1000;
    if (call.heartbeatSeconds && token) task.heartbeatAt = now + call.heartbeatSeconds * 1000;
    frame.data.task = task;
    this.batch.setPhase(frame, 'task');
    const lambdaEvents = call.kind === 'direct' && !call.waitForTaskToken;
    if (lambdaEvents) {
      let details = call.timeoutSeconds ? undefined : lambdaScheduled.get(state);
      if (!details) {
        details = { resource: state.Resource, inputDetails: TRUNCATED_NO, ...(call.timeoutSeconds ? { timeoutInSeconds: call.timeoutSeconds } : {}) };
        if (!call.timeoutSeconds) lambdaScheduled.set(state, constantDetails(details));
      }
      this.batch.emit(run, frame, 'LambdaFunctionScheduled', details, 'input', call.payload);
      this.batch.emit(run, frame, 'LambdaFunctionStarted', null);
    } else {
      let where = this.scheduledWhere.get(resource);
      if (where === undefined) {
        where = `${JSON.stringify(resource)},${JSON.stringify(this.core.scope.region)}`;
        this.scheduledWhere.set(resource, where);
      }
      let details;
      if (call.kind === 'invoke' && call.payload !== undefined) {
        // The payload's JSON once, for this event and for the frame's text (a task token's payload holds the token).
        task.payloadJson = JSON.stringify(call.payload);
        details = scheduledInvokeDetails(where, call.functionName, call.payload, call.timeoutSeconds, call.heartbeatSeconds, task.payloadJson);
      } else if (call.kind === 'invoke') details = scheduledInvokeDetails(where, call.functionName, call.payload, call.timeoutSeconds, call.heartbeatSeconds);
      else details = scheduledDetails(where, call.payload, call.timeoutSeconds, call.heartbeatSeconds);
      this.batch.emit(run, frame, 'TaskScheduled', details);
      this.batch.emit(run, frame, 'TaskStarted', detailsOf('TaskStarted', resource));
    }
    // A waiting token lives in memory and in its frame's row (which a restart reloads): no row of its own to write and delete.
    if (token) this.tokens.set(token, frame);
    this.armTimers(frame);
    this.batch.effects.push({ kind: 'invoke', frame, gen: frame.gen });
  }

  /**
   * `${executionArn}#${stateName}#${stateEnteredTime}#${retryCount}`, the last one kept: a Map's children invoked one after
   * another share all four (their entry is one batch's millisecond), and the key was five strings joined per child.
   */
  private attemptKey(executionArn: string, stateName: string, stateEnteredTime: string, retryCount: number): string {
    const last = this.lastKey;
    if (last.executionArn === executionArn && last.stateName === stateName && last.stateEnteredTime === stateEnteredTime && last.retryCount === retryCount)
      return last.key;
    const key = `${executionArn}#${stateName}#${stateEnteredTime}#${retryCount}`;
    this.lastKey = { executionArn, stateName, stateEnteredTime, retryCount, key };
    return key;
  }

  private armTimers(frame: Frame): void {
    const task = frame.data.task!;
    const id = frame.data.id;
    if (typeof task.timeoutAt === 'number')
      this.batch.effects.push({
        kind: 'timer',
        key: `${id}:timeout`,
        frame,
        gen: frame.gen,
        at: task.timeoutAt,
        event: { type: 'taskTimeout', heartbeat: false },
      });
    if (typeof task.heartbeatAt === 'number')
      this.batch.effects.push({
        kind: 'timer',
        key: `${id}:heartbeat`,
        frame,
        gen: frame.gen,
        at: task.heartbeatAt,
        event: { type: 'taskTimeout', heartbeat: true },
      });
  }

  /** Runs the function after the commit; its outcome comes back as queued work. */
  invoke(frame: Frame, gen: number): void {
    const task = frame.data.task!;
    const run = this.core.runs.get(frame.runArn);
    if (!run) return;
    const call = task.call;
    const timeoutMs = (call.timeoutSeconds ?? 900) * 1000;
    const { state: stateName, enteredTime: stateEnteredTime, retryCount } = frame.data;
    const idempotencyKey = this.attemptKey(run.arn, stateName, stateEnteredTime, retryCount) + forkPath(frame);
    // Two literals rather than a spread of a temporary object (one per invocation); the keys keep their order.
    const identity: TaskIdentity = task.token
      ? { executionArn: run.arn, stateName, stateEnteredTime, retryCount, taskToken: task.token, idempotencyKey }
      : { executionArn: run.arn, stateName, stateEnteredTime, retryCount, idempotencyKey };
    const functions = this.core.functions;
    if (!functions.has(call.functionName)) {
      // A function this runtime never registered is a broken install, not a task that failed:
      // States.Runtime passes every Retry and Catch, so no workflow can read it as a tool's answer.
      const cause = `Lambda.ResourceNotFoundException: no function named ${call.functionName} is registered in the local runtime`;
      this.batch.enqueue({ kind: 'frame', frame, gen, event: { type: 'result', ok: false, error: 'States.Runtime', cause } });
      return;
    }
    void functions.invoke(call.functionName, call.payload, { requestId: task.requestId, timeoutMs, task: identity }).then((result) => {
      if (this.batch.closed) return;
      let event: FrameEvent;
      if (!result.ok) event = { type: 'result', ok: false, error: result.failure.error, cause: result.failure.cause };
      else if (call.waitForTaskToken) event = SUBMITTED;
      else event = { type: 'result', ok: true, value: result.payload as JsonValue };
      this.batch.enqueue({ kind: 'frame', frame, gen, event });
    });
  }

  finished(run: Run, frame: Frame, state: StateDefinition, event: FrameEvent & { type: 'result' }): void {
    const task = frame.data.task!;
    this.endTask(frame, 'done');
    const lambdaEvents = task.call.kind === 'direct' && !task.call.waitForTaskToken;
    if (event.ok) {
      if (lambdaEvents) this.batch.emit(run, frame, 'LambdaFunctionSucceeded', LAMBDA_SUCCEEDED, 'output', event.value);
      else this.batch.emit(run, frame, 'TaskSucceeded', detailsOf('TaskSucceeded', resourceOf(task.call)), 'output', event.value);
      this.host.completed(run, frame, state, taskResult(task.call, event.value, task.requestId), task.token);
    } else {
      if (lambdaEvents) this.batch.emit(run, frame, 'LambdaFunctionFailed', { error: event.error, cause: event.cause });
      else this.batch.emit(run, frame, 'TaskFailed', { resourceType: 'lambda', resource: resourceOf(task.call), error: event.error, cause: event.cause });
      this.host.stateFailed(run, frame, state, new TaskError(event.error, event.cause));
    }
  }

  /** A `.waitForTaskToken` function accepted its invocation: from now on only the token is awaited. */
  submitted(run: Run, frame: Frame): void {
    const task = frame.data.task!;
    task.submitted = true;
    // The frame is not rewritten for this: its TaskSubmitted event is the record a restart reads (recovery.ts).
    this.batch.emit(run, frame, 'TaskSubmitted', detailsOf('TaskSubmitted', resourceOf(task.call)), 'output', {});
  }

  /** SendTaskHeartbeat: pushes the heartbeat deadline out. */
  heartbeat(frame: Frame): void {
    const task = frame.data.task!;
    const seconds = task.call.heartbeatSeconds;
    if (!seconds) return;
    task.heartbeatAt = Date.now() + seconds * 1000;
    this.batch.persist(frame);
    this.batch.effects.push({
      kind: 'timer',
      key: `${frame.data.id}:heartbeat`,
      frame,
      gen: frame.gen,
      at: task.heartbeatAt,
      event: { type: 'taskTimeout', heartbeat: true },
    });
  }

  timedOut(run: Run, frame: Frame, state: StateDefinition, heartbeat: boolean): void {
    const task = frame.data.task!;
    const error = heartbeat ? new StatesHeartbeatTimeoutError() : new StatesTimeoutError();
    this.endTask(frame, 'timed_out');
    const details = { error: error.name, cause: error.causeText };
    if (task.call.kind === 'direct' && !task.call.waitForTaskToken) this.batch.emit(run, frame, 'LambdaFunctionTimedOut', details);
    else this.batch.emit(run, frame, 'TaskTimedOut', { resourceType: 'lambda', resource: resourceOf(task.call), ...details });
    this.host.stateFailed(run, frame, state, error);
  }

  endTask(frame: Frame, tokenStatus: 'done' | 'timed_out'): void {
    const token = frame.data.task?.token;
    if (token) {
      this.tokens.delete(token);
      // Kept so a late SendTaskSuccess answers TaskTimedOut; a finished token is simply unknown (TaskDoesNotExist).
      if (tokenStatus === 'timed_out') this.core.store.putToken({ token, exec: frame.runArn, frame: frame.data.id, status: 'timed_out' });
    }
    this.core.timers.clearFrame(frame);
  }

  /** The execution whose task waits on `token`, if one does in this process. */
  executionOf(token: string): string | undefined {
    const frame = this.tokens.get(token);
    return frame && !frame.dead ? frame.runArn : undefined;
  }

  /** The frame waiting on `token` (for SendTask*), or the API error AWS answers. */
  taskFor(token: unknown): Frame {
    // A waiting token is looked up first: only this engine's well-formed tokens are in the map, so the shape check is for the rest.
    const frame = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (frame && !frame.dead && frame.data.phase === 'task' && frame.data.task?.token === token) return frame;
    if (!isWellFormedToken(token)) throw sfnErrors.invalidToken('Invalid Token: the task token is malformed');
    const row = this.core.store.getToken(token);
    if (row?.status === 'timed_out') throw sfnErrors.taskTimedOut('Task Timed Out: the task has already timed out');
    throw sfnErrors.taskDoesNotExist('Task Does Not Exist: the task token is unknown or its task has already finished');
  }
}
