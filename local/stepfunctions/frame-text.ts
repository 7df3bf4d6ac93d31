/**
 * The stored text of a frame: its data as a JSON object, with the fields left
 * out that hold their default (no retries, no events yet, a task's unset
 * timeouts, a direct call's payload when it is the frame's input…). Every
 * waiting task and every child of a Map is written so; what it repeated was
 * bytes built, written to SQLite and collected per frame.
 *
 * The children a Map or Parallel starts together are one row, a JSON array
 * (frame.ts, Brood). Its first child is written as above; every later one
 * leaves out, besides, what it shares with the child before it: its parent,
 * state, phase, entry time and the function its task calls. So a Map child
 * waiting on its function is its index, item, event ids and request id (~100
 * characters; ~330 when every frame was written in full).
 *
 * A task waiting on its token (store schema 10) stores the token as where its
 * payload holds it, when it does, and no request id when the token makes it
 * (requestIdOfToken); a top-level frame, no parent and no index: ~140 bytes
 * less per waiting execution, five rows to a page where four fitted.
 *
 * readFrame and parseBrood fill the left-out fields back in, so they read
 * both these texts and the full objects earlier versions wrote.
 */
import type { TaskCall } from '../asl/step';
import type { JsonValue } from '../asl/types';
import type { FrameData, TaskData } from './frame';
import { isRequestIdOfToken, requestIdOfToken } from './task-token';

/** What a call stores: a direct call without Parameters hands the function the frame's input itself, read back from it. */
function storedCall(call: TaskCall, input: JsonValue, previous: TaskCall | undefined) {
  return {
    functionName: call.functionName === previous?.functionName ? undefined : call.functionName,
    payload: call.payload === input ? undefined : call.payload,
    kind: call.kind === previous?.kind ? undefined : call.kind,
    waitForTaskToken: call.waitForTaskToken || undefined,
    timeoutSeconds: call.timeoutSeconds ?? undefined,
    heartbeatSeconds: call.heartbeatSeconds ?? undefined,
  };
}

function storedTask(task: TaskData, input: JsonValue, previous: TaskCall | undefined) {
  return {
    call: storedCall(task.call, input, previous),
    resource: task.resource,
    token: task.token === undefined ? undefined : (tokenPath(task.call.payload, task.token) ?? task.token),
    submitted: task.submitted || undefined,
    requestId: isRequestIdOfToken(task.requestId, task.token) ? undefined : task.requestId,
    timeoutAt: task.timeoutAt ?? undefined,
    heartbeatAt: task.heartbeatAt ?? undefined,
  };
}

/**
 * The text a frame is stored as; `previous`: the child before it in the row it is written in, whose parent, state,
 * phase, entry time and called function it leaves out where they are the same (see parseBrood). Throws, as JSON.stringify does,
 * on data nested too deep to walk. A plain waiting task (most frames written) is spelled out (waitingTaskText); any
 * other frame is one object literal (one shape, what is left out undefined, which JSON.stringify skips) serialised in
 * one call: concatenated field by field, with every field tested, it measured slower.
 */
export function frameText(d: FrameData, previous?: FrameData): string {
  const sibling = previous !== undefined && previous !== d;
  if (isPlainWaitingTask(d)) return waitingTaskText(d, sibling ? previous : undefined);
  // Not kept through the task's wait (see TaskData.payloadJson).
  if (d.task?.payloadJson !== undefined) d.task.payloadJson = undefined;
  return JSON.stringify(storedFrame(d, previous));
}

/** The object whose JSON frameText is (see frameText; the fields that hold their default undefined, which JSON.stringify skips). */
export function storedFrame(d: FrameData, previous?: FrameData) {
  const sibling = previous !== undefined && previous !== d;
  return {
    id: d.id,
    // A stored child says where it sits; a top-level frame (in its execution's row since store schema 7, schema 10
    // leaving these out) has no parent and is its parent's first.
    parent: sibling ? (d.parent === previous.parent ? undefined : d.parent) : d.parent === null ? undefined : d.parent,
    idx: !sibling && d.parent === null && d.idx === 0 ? undefined : d.idx,
    state: sibling && d.state === previous.state ? undefined : d.state,
    input: d.input,
    phase: sibling && d.phase === previous.phase ? undefined : d.phase,
    fresh: d.fresh || undefined,
    enteredTime: sibling ? (d.enteredTime === previous.enteredTime ? undefined : d.enteredTime) : d.enteredTime || undefined,
    retryCount: d.retryCount || undefined,
    attempts: d.attempts.length === 0 ? undefined : d.attempts,
    task: d.task === undefined ? undefined : storedTask(d.task, d.input, sibling ? previous.task?.call : undefined),
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
  } satisfies Record<keyof FrameData, unknown>;
}

/**
 * A frame waiting on its task with nothing else set but what every such frame has: a Map's child waiting on its function,
 * an execution waiting on a task token, the frames most batches write. Its deadlines, retries and the fields of other
 * phases unset; the call's timeouts too (what waitingTaskText spells out).
 */
function isPlainWaitingTask(d: FrameData): boolean {
  const task = d.task;
  if (d.phase !== 'task' || task === undefined || d.fresh || d.retryCount !== 0 || d.attempts.length !== 0) return false;
  if (d.input === undefined || typeof d.enteredTime !== 'string') return false;
  const call = task.call;
  return (
    call.timeoutSeconds == null &&
    call.heartbeatSeconds == null &&
    call.payload !== undefined &&
    task.resource === undefined &&
    !task.submitted &&
    task.timeoutAt == null &&
    task.heartbeatAt == null &&
    (d.enteredEventId === undefined || typeof d.enteredEventId === 'number') &&
    d.dueAt === undefined &&
    d.waitOutput === undefined &&
    d.fork === undefined &&
    d.output === undefined &&
    d.failure === undefined &&
    d.vars === undefined &&
    d.evaluation === undefined &&
    d.waitAssign === undefined &&
    d.failedFork === undefined &&
    d.redriveFork === undefined
  );
}

/**
 * The pieces of a plain waiting task's text, by slot: every call writes the same slots (an empty string for a field
 * left out), so the array keeps its size and backing store, and its join is one flat string, which SQLite binds
 * without copying it again (JSON.stringify's text, and text concatenated, are strings of parts, copied into one when
 * bound: ~480 bytes of garbage per waiting execution). The constant slots are set here once.
 */
const slots: (string | number)[] = new Array<string | number>(35).fill('');
slots[0] = '{"id":';
slots[8] = ',"input":';
slots[13] = ',"task":{"call":{';
slots[20] = '}';
slots[29] = '}';
slots[34] = '}';

/** Strings many frames repeat (state and function names), as JSON: quoted once each. */
const quotedNames = new Map<string, string>();
function quotedName(name: string): string {
  let text = quotedNames.get(name);
  if (text === undefined) {
    text = JSON.stringify(name);
    if (quotedNames.size >= 10_000) quotedNames.clear();
    quotedNames.set(name, text);
  }
  return text;
}
/** The last entry time quoted (the frames of one batch share a few). */
let lastTime = { time: '', text: '""' };
function quotedTime(time: string): string {
  if (time !== lastTime.time) lastTime = { time, text: JSON.stringify(time) };
  return lastTime.text;
}

/** A value as JSON: a finite number as itself (join writes it as JSON does), anything else through JSON.stringify. */
function jsonValue(value: JsonValue): string | number {
  return typeof value === 'number' && Number.isFinite(value) ? value : JSON.stringify(value);
}

/**
 * The text JSON.stringify makes of frameText's object for a plain waiting task (isPlainWaitingTask), spelled out: the same
 * characters (a unit test compares both), in half the time for a Map's children joined into their row (measured: 1,000
 * children 2.1–2.4 ms serialised and joined, 0.8–1.1 ms so), as JSON.stringify walked and skipped every unset field of
 * the object literal, the task's and the call's. Ids, indices and event ids are integers: join writes a number as JSON
 * does; every string goes through JSON.stringify (names and times cached).
 */
function waitingTaskText(d: FrameData, previous: FrameData | undefined): string {
  const task = d.task!;
  const call = task.call;
  const before = previous?.task?.call;
  // The payload's JSON made when the task was scheduled, taken (not kept through the wait), else made when needed.
  const payloadJson = task.payloadJson;
  if (payloadJson !== undefined) task.payloadJson = undefined;
  if (previous !== undefined && isPlainSibling(d, previous) && isPlain(task.requestId)) {
    // A Map's child after the first (see siblingSlots).
    const q = siblingSlots;
    q[1] = d.id;
    q[3] = d.idx;
    q[5] = jsonValue(d.input);
    q[7] = task.requestId;
    q[9] = d.lastEventId;
    q[11] = d.enteredEventId!;
    return q.join('');
  }
  const p = slots;
  p[1] = d.id;
  const parent = previous === undefined ? d.parent !== null : d.parent !== previous.parent;
  p[2] = parent ? ',"parent":' : '';
  p[3] = parent ? (d.parent === null ? 'null' : d.parent) : '';
  const idx = previous !== undefined || d.parent !== null || d.idx !== 0;
  p[4] = idx ? ',"idx":' : '';
  p[5] = idx ? d.idx : '';
  const state = previous === undefined || d.state !== previous.state;
  p[6] = state ? ',"state":' : '';
  p[7] = state ? quotedName(d.state) : '';
  p[9] = jsonValue(d.input);
  p[10] = previous === undefined || previous.phase !== 'task' ? ',"phase":"task"' : '';
  const entered = previous === undefined ? d.enteredTime !== '' : d.enteredTime !== previous.enteredTime;
  p[11] = entered ? ',"enteredTime":' : '';
  p[12] = entered ? quotedTime(d.enteredTime) : '';
  const functionName = call.functionName !== before?.functionName;
  p[14] = functionName ? '"functionName":' : '';
  p[15] = functionName ? quotedName(call.functionName) : '';
  const payload = call.payload !== d.input;
  p[16] = payload ? (functionName ? ',"payload":' : '"payload":') : '';
  p[17] = payload ? (payloadJson ?? jsonValue(call.payload)) : '';
  let comma = functionName || payload;
  if (call.kind !== before?.kind) {
    const kind = call.kind === 'invoke' ? '"invoke"' : call.kind === 'direct' ? '"direct"' : JSON.stringify(call.kind);
    p[18] = comma ? `,"kind":${kind}` : `"kind":${kind}`;
    comma = true;
  } else p[18] = '';
  p[19] = call.waitForTaskToken ? (comma ? ',"waitForTaskToken":true' : '"waitForTaskToken":true') : '';
  const token = task.token;
  p[21] = token !== undefined ? ',"token":' : '';
  const path = token === undefined ? undefined : tokenPath(call.payload, token);
  if (path !== undefined) {
    p[22] = pathText(path);
    p[23] = p[24] = '';
  } else putString(p, 22, token);
  const requestId = isRequestIdOfToken(task.requestId, token) ? undefined : task.requestId;
  p[25] = requestId !== undefined ? ',"requestId":' : '';
  putString(p, 26, requestId);
  p[30] = d.lastEventId ? ',"lastEventId":' : '';
  p[31] = d.lastEventId ? d.lastEventId : '';
  p[32] = d.enteredEventId !== undefined ? ',"enteredEventId":' : '';
  p[33] = d.enteredEventId !== undefined ? d.enteredEventId : '';
  return p.join('');
}

/**
 * The text of a child after a sibling it shares all it can with (its parent, state, phase, entry time, the function it
 * calls and how), calling it with its input, no token, and its event ids set: waitingTaskText's text with the slots it
 * leaves empty taken out. A Map's children are nearly all so; join's temporary array is as long as the slots (35: ~300
 * bytes per child, more than its text), 13 here.
 */
const siblingSlots: (string | number)[] = [
  '{"id":',
  0,
  ',"idx":',
  0,
  ',"input":',
  '',
  ',"task":{"call":{},"requestId":"',
  '',
  '"},"lastEventId":',
  0,
  ',"enteredEventId":',
  0,
  '}',
];

function isPlainSibling(d: FrameData, previous: FrameData): boolean {
  const task = d.task!;
  const call = task.call;
  const before = previous.task?.call;
  return (
    before !== undefined &&
    d.parent === previous.parent &&
    d.state === previous.state &&
    previous.phase === 'task' &&
    d.enteredTime === previous.enteredTime &&
    call.functionName === before.functionName &&
    call.kind === before.kind &&
    call.payload === d.input &&
    !call.waitForTaskToken &&
    task.token === undefined &&
    typeof task.requestId === 'string' &&
    d.lastEventId !== 0 &&
    typeof d.enteredEventId === 'number'
  );
}

/** Whether JSON writes `value` as it is between quotes (printable ASCII, no quote or backslash). */
function isPlain(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/**
 * A string value in three slots from `at`: itself between quotes when JSON writes it as it is (printable ASCII, no quote or
 * backslash: the tokens and request ids the engine makes), else its JSON in the middle slot. Unique to each frame, they were
 * two JSON.stringify copies made per waiting execution only to be copied again into its text; absent, three empty slots.
 */
function putString(p: (string | number)[], at: number, value: string | undefined): void {
  if (value === undefined) {
    p[at] = p[at + 1] = p[at + 2] = '';
    return;
  }
  const plain = isPlain(value);
  p[at] = plain ? '"' : '';
  p[at + 1] = plain ? value : JSON.stringify(value);
  p[at + 2] = plain ? '"' : '';
}

/** Where a value sits in a payload: object keys and array indices from the top. */
type TokenPath = readonly (string | number)[];

/** One-key paths by key (a token's payload is nearly always `{ "token.$": "$$.Task.Token", ... }`): made and quoted once. */
const keyPaths = new Map<string, { path: TokenPath; text: string }>();
const pathTexts = new WeakMap<TokenPath, string>();

function keyPath(key: string): TokenPath {
  let entry = keyPaths.get(key);
  if (entry === undefined) {
    entry = { path: Object.freeze([key]), text: JSON.stringify([key]) };
    if (keyPaths.size >= 1_000) keyPaths.clear();
    keyPaths.set(key, entry);
    pathTexts.set(entry.path, entry.text);
  }
  return entry.path;
}

function pathText(path: TokenPath): string {
  return pathTexts.get(path) ?? JSON.stringify(path);
}

/** Paths no deeper than this are looked for (deeper payloads keep their token written out). */
const MAX_TOKEN_DEPTH = 32;

/**
 * Where a task's payload holds its token, if it does: the frame stores that path instead of the token (68 characters)
 * a second time, and readFrame reads it back from the payload. A path, not a marker: a payload may hold any string.
 */
function tokenPath(payload: JsonValue, token: string): TokenPath | undefined {
  if (payload === token) return [];
  if (typeof payload !== 'object' || payload === null) return undefined;
  if (!Array.isArray(payload)) for (const key in payload) if (payload[key] === token && Object.hasOwn(payload, key)) return keyPath(key);
  const found = pathWithin(payload, token, 0);
  return found?.reverse();
}

/** The path to `token` inside `value`, innermost key first (reversed once found). */
function pathWithin(value: JsonValue, token: string, depth: number): (string | number)[] | undefined {
  if (value === token) return [];
  if (typeof value !== 'object' || value === null || depth >= MAX_TOKEN_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathWithin(value[i], token, depth + 1);
      if (found) return (found.push(i), found);
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = pathWithin(value[key], token, depth + 1);
    if (found) return (found.push(key), found);
  }
  return undefined;
}

/** The token at `path` in a payload (tokenPath), or undefined where the payload holds no string there. */
function tokenAt(payload: JsonValue, path: TokenPath): string | undefined {
  let value: JsonValue | undefined = payload;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Array.isArray(value) ? (typeof step === 'number' ? value[step] : undefined) : Object.hasOwn(value, step) ? value[step] : undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

/** A stored frame as frameText wrote it, or as an earlier version wrote it in full. */
export type StoredFrame = Partial<FrameData> & { id: number };

/** Frame data from its stored object (parsed from frameText's text, or a full one): the defaults left out filled in. */
export function readFrame(stored: StoredFrame): FrameData {
  const d = stored as FrameData;
  // A top-level frame's (see storedFrame); a child's are always there, or filled in from its sibling (parseBrood).
  if (d.parent === undefined) d.parent = null;
  d.idx ??= 0;
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
  const task = d.task;
  if (task) {
    // Since store schema 10: the token as its path in the payload, and no request id when the token makes it.
    const token = task.token as string | TokenPath | undefined;
    if (typeof token === 'object') task.token = tokenAt(task.call.payload, token);
    const derived = task.requestId === undefined && task.token !== undefined ? requestIdOfToken(task.token) : undefined;
    if (derived !== undefined) task.requestId = derived;
  }
  return d;
}

/** Frame data from its stored text. */
export function parseFrame(text: string): FrameData {
  return readFrame(JSON.parse(text) as StoredFrame);
}

/** The children of a row written together (a JSON array, see frameText's `previous`), in the order written. */
export function parseBrood(text: string): FrameData[] {
  const stored = JSON.parse(text) as StoredFrame[];
  const out: FrameData[] = [];
  for (const s of stored) {
    const previous = out.at(-1);
    if (previous) {
      if (!('parent' in s)) s.parent = previous.parent;
      if (!('state' in s)) s.state = previous.state;
      if (!('phase' in s)) s.phase = previous.phase;
      if (!('enteredTime' in s)) s.enteredTime = previous.enteredTime;
      const call = s.task?.call as Partial<TaskCall> | undefined;
      const previousCall = previous.task?.call;
      if (call && previousCall) {
        if (!('functionName' in call)) call.functionName = previousCall.functionName;
        if (!('kind' in call)) call.kind = previousCall.kind;
      }
    }
    out.push(readFrame(s));
  }
  return out;
}
