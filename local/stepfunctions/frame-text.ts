/**
 * The stored text of a frame: its data as a JSON object, with the fields
 * left out that hold their default (no retries, no events yet, a task's unset
 * timeouts, a direct call's payload when it is the frame's input…). Every waiting task and every child of a Map is
 * written so; what it repeated was bytes built, written to SQLite and
 * collected per frame (a Map child: ~330 characters before, ~220 now).
 *
 * readFrame fills the defaults back in, so it reads both this text and the
 * full objects earlier versions wrote (which were plain JSON.stringify).
 */
import type { TaskCall } from '../asl/step';
import type { JsonValue } from '../asl/types';
import type { FrameData, TaskData } from './frame';

/** What a call stores: a direct call without Parameters hands the function the frame's input itself, read back from it. */
function storedCall(call: TaskCall, input: JsonValue) {
  return {
    functionName: call.functionName,
    payload: call.payload === input ? undefined : call.payload,
    kind: call.kind,
    waitForTaskToken: call.waitForTaskToken || undefined,
    timeoutSeconds: call.timeoutSeconds ?? undefined,
    heartbeatSeconds: call.heartbeatSeconds ?? undefined,
  };
}

function storedTask(task: TaskData, input: JsonValue) {
  return {
    call: storedCall(task.call, input),
    resource: task.resource,
    token: task.token,
    submitted: task.submitted || undefined,
    requestId: task.requestId,
    timeoutAt: task.timeoutAt ?? undefined,
    heartbeatAt: task.heartbeatAt ?? undefined,
  };
}

/**
 * The text a frame is stored as (throws, as JSON.stringify does, on data nested too deep to walk). Built as one
 * object literal (one shape, defaults as undefined, which JSON.stringify leaves out) and serialised in one call:
 * text concatenated field by field measured slower, its pieces flattened again when a Map's children are joined.
 */
export function frameText(d: FrameData): string {
  return JSON.stringify({
    id: d.id,
    // Kept though often default: a stored child says where it sits, and migrations find top-level frames by `$.parent`.
    parent: d.parent,
    idx: d.idx,
    state: d.state,
    input: d.input,
    phase: d.phase,
    fresh: d.fresh || undefined,
    enteredTime: d.enteredTime || undefined,
    retryCount: d.retryCount || undefined,
    attempts: d.attempts.length === 0 ? undefined : d.attempts,
    task: d.task === undefined ? undefined : storedTask(d.task, d.input),
    lastEventId: d.lastEventId || undefined,
    enteredEventId: d.enteredEventId,
    dueAt: d.dueAt,
    waitOutput: d.waitOutput,
    fork: d.fork,
    output: d.output,
    failure: d.failure,
    vars: d.vars,
    evaluation: d.evaluation,
    waitAssign: d.waitAssign,
    failedFork: d.failedFork,
    redriveFork: d.redriveFork,
  } satisfies Record<keyof FrameData, unknown>);
}

/** A stored frame as frameText wrote it, or as an earlier version wrote it in full. */
export type StoredFrame = Partial<FrameData> & { id: number; state: string; phase: FrameData['phase'] };

/** Frame data from its stored object (parsed from frameText's text, or a full one): the defaults left out filled in. */
export function readFrame(stored: StoredFrame): FrameData {
  const d = stored as FrameData;
  if (d.input === undefined) d.input = null;
  d.fresh ??= false;
  d.enteredTime ??= '';
  d.retryCount ??= 0;
  d.attempts ??= [];
  d.lastEventId ??= 0;
  const call = d.task?.call as Partial<TaskCall> | undefined;
  if (call) {
    if (!('payload' in call)) call.payload = d.input;
    call.waitForTaskToken ??= false;
    call.timeoutSeconds ??= null;
    call.heartbeatSeconds ??= null;
  }
  return d;
}

/** Frame data from its stored text. */
export function parseFrame(text: string): FrameData {
  return readFrame(JSON.parse(text) as StoredFrame);
}
