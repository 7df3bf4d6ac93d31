/**
 * The text format of a stored history chunk (the events one batch wrote for
 * one execution). History is written on every transition, so the format is
 * built for cheap writes and small rows (a 100-state chain fits in ~1 page):
 *
 *   first line:  <first event id>\t<base timestamp ms>
 *   then one line per event (ids are consecutive from the first):
 *   <ts - base>\t<type code>\t<id - previousEventId>\t<details>\t<payload key>\t<payload JSON>
 *   where trailing empty fields are left out (a chunk is mostly state events
 *   whose payload repeats the previous one: `0\t5\t1\tsS12\t^i`).
 *
 * Two shorter forms cover most of a chunk (a state entered with the
 * previous event's output as input, then left with it unchanged), so a
 * 100-state chain's whole history, ~1.2 KB, fits in its execution's row:
 *   `<ts - base>\t<type code><details>`: previousEventId is id - 1 and the
 *   payload is `^i` (the previous event's);
 *   `<ts - base>` alone: the exit of the state the previous line entered
 *   (Entered → Exited, same details, previousEventId id - 1, payload `^o`).
 *
 * Type codes index EVENT_TYPES (other types are written as `=<Type>`); payload
 * keys `input`/`output` are written `i`/`o`.
 * Chunks of later batches may follow in the same text (an execution's row
 * keeps its first events so), each behind a `#<first event id>\t<base>` line.
 * Details are `s<state name>`, `j<json>`, `t<template><filler>` (the JSON
 * text of DETAIL_TEMPLATES[template] around the filler), `e…` or `p…` (an
 * ExecutionStarted's or TaskScheduled's values, see startedDetails and
 * scheduledDetails) or empty. A payload key starting with
 * `^` means "the same payload as the previous event" (a state's output is the
 * next state's input). JSON never contains a raw tab or newline.
 */
import type { JsonValue } from '../asl/types';

/** A stored history event: [id, ts, type, previousEventId, details (a state name for StateEntered/Exited), payloadKey, payload]. */
export type StoredEvent = [number, number, string, number, Record<string, unknown> | string | null, string | null, unknown];

const EVENT_TYPES = [
  'ExecutionStarted',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
  'PassStateEntered',
  'PassStateExited',
  'TaskStateEntered',
  'TaskStateExited',
  'ChoiceStateEntered',
  'ChoiceStateExited',
  'WaitStateEntered',
  'WaitStateExited',
  'SucceedStateEntered',
  'SucceedStateExited',
  'FailStateEntered',
  'ParallelStateEntered',
  'ParallelStateExited',
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'MapStateEntered',
  'MapStateExited',
  'MapStateStarted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapIterationStarted',
  'MapIterationSucceeded',
  'MapIterationFailed',
  'MapIterationAborted',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'LambdaFunctionScheduled',
  'LambdaFunctionStarted',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
];
const CODE = new Map(EVENT_TYPES.map((t, i) => [t, String(i)]));
/** `XStateEntered` → `XStateExited`, for the types that have both. */
const EXIT_OF = new Map(
  EVENT_TYPES.filter((t) => t.endsWith('StateEntered') && EVENT_TYPES.includes(t.replace(/Entered$/, 'Exited'))).map((t) => [
    t,
    t.replace(/Entered$/, 'Exited'),
  ]),
);
const COMPACT = /^(\d+)([sj].*)$/;

/**
 * The details most task events carry, the same for every event of a type and resource but for one value (`{"resourceType":
 * "lambda","resource":"invoke.waitForTaskToken"}`…): stored as `t<n><filler>`, whose JSON text is template n's prefix, the
 * filler, then its suffix (`t1"invoke.waitForTaskToken"`, ~40 characters less). A waiting execution's row was ~a sixth
 * such text. Matched when constant details are made (constantDetails), so no event pays for it. Append only: stored
 * history names templates by position.
 */
const DETAIL_TEMPLATES: readonly (readonly [string, string])[] = [
  ['{"outputDetails":{"truncated":false}}', ''],
  ['{"resourceType":"lambda","resource":', '}'],
  ['{"resourceType":"lambda","resource":', ',"outputDetails":{"truncated":false}}'],
  ['{"resource":', ',"inputDetails":{"truncated":false}}'],
];
/** Templates tried from the most specific (the longest suffix) on: any match rebuilds the same text. */
const MATCH_ORDER = DETAIL_TEMPLATES.map((_, i) => i).sort((a, b) => DETAIL_TEMPLATES[b][1].length - DETAIL_TEMPLATES[a][1].length);

/** The stored field of details whose JSON text is `json`: a template and its filler when one fits, else `j<json>`. */
export function detailsField(json: string): string {
  for (const i of MATCH_ORDER) {
    const [prefix, suffix] = DETAIL_TEMPLATES[i];
    if (json.length >= prefix.length + suffix.length && json.startsWith(prefix) && json.endsWith(suffix))
      return `t${i}${json.slice(prefix.length, json.length - suffix.length)}`;
  }
  return `j${json}`;
}

/** The values of an `e` or `p` field (JSON values separated by commas, see startedDetails and scheduledDetails). */
function values(d: string): JsonValue[] {
  return JSON.parse(`[${d.slice(1)}]`) as JsonValue[];
}

function decodeDetails(d: string): StoredEvent[4] {
  if (d === '') return null;
  if (d[0] === 's') return d.slice(1);
  if (d[0] === 'e') {
    const [input, roleArn, stateMachineArn] = values(d);
    return { input, inputDetails: { truncated: false }, roleArn, stateMachineArn };
  }
  if (d[0] === 'p') {
    const [resource, region, parameters, timeoutInSeconds, heartbeatInSeconds] = values(d);
    const details: Record<string, unknown> = { resourceType: 'lambda', resource, region, parameters: JSON.stringify(parameters) };
    if (timeoutInSeconds) details.timeoutInSeconds = timeoutInSeconds;
    if (heartbeatInSeconds) details.heartbeatInSeconds = heartbeatInSeconds;
    return details;
  }
  if (d[0] === 't') {
    const [prefix, suffix] = DETAIL_TEMPLATES[Number(d[1])];
    return JSON.parse(`${prefix}${d.slice(2)}${suffix}`) as Record<string, unknown>;
  }
  return JSON.parse(d.slice(1)) as Record<string, unknown>;
}
const KEY_NAME: Record<string, string> = { i: 'input', o: 'output' };

/**
 * Texts of a line by its payload key, for the keys the engine writes: none (the line ends), `i` or `o` followed by the
 * payload, `^i` or `^o` ending the line (see ConstantField). Any other key or combination is not kept (slot -1).
 */
class ByKey {
  none: string | undefined = undefined;
  i: string | undefined = undefined;
  o: string | undefined = undefined;
  ci: string | undefined = undefined;
  co: string | undefined = undefined;

  get(slot: number): string | undefined {
    return slot === 0 ? this.none : slot === 1 ? this.i : slot === 2 ? this.o : slot === 3 ? this.ci : slot === 4 ? this.co : undefined;
  }

  set(slot: number, text: string): string {
    if (slot === 0) this.none = text;
    else if (slot === 1) this.i = text;
    else if (slot === 2) this.o = text;
    else if (slot === 3) this.ci = text;
    else if (slot === 4) this.co = text;
    return text;
  }
}

/**
 * `text` as one sequential string: a template literal's result is a tree of its parts, which every join of a piece kept
 * walks again (these pieces are written thousands of times).
 */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** Where ByKey keeps the texts of payload key `key`, followed by a payload or not (`ends`); -1: not kept. */
function slotOf(key: string, ends: boolean): number {
  if (ends) return key === '' ? 0 : key === '^i' ? 3 : key === '^o' ? 4 : -1;
  return key === 'i' ? 1 : key === 'o' ? 2 : -1;
}

/** The payload key's fields up to its payload (`\ti\t`), or to the line's end when none follows (`\t^i\n`, or `\n`). */
function keyPart(key: string, ends: boolean): string {
  if (key === '') return ends ? '\n' : '\t';
  return ends ? `\t${key}\n` : `\t${key}\t`;
}

/**
 * A details field many events share (a state's name, constantDetails, constantEncodedDetails) and the texts of the lines
 * around it, made once: every piece a line is written in costs the join (a Map's chunk of 1,000 children was ~41,000
 * pieces, the join a quarter of the writer's CPU), so the fields between its time offset, its distance and its payload are
 * each one cached piece: `\t<type code>\t1\t<field>\t<key>\t` for an event right after its predecessor (per type and key),
 * `\t<field>\t<key>\t` after the distance of one that is not (per key), `\t<type code><field>\n` for a compact entry.
 */
class ConstantField {
  /** The texts of `next`: for the first event type it is used with (most are used with one or two), then by type. */
  private firstType: string | undefined = undefined;
  private first: ByKey | undefined = undefined;
  private byType: Map<string, ByKey> | undefined = undefined;
  private tails: ByKey | undefined = undefined;
  private compacts: Map<string, string> | undefined = undefined;
  constructor(readonly field: string) {}

  /** The line after its time offset, up to its payload, of an event of `type` right after its predecessor. */
  next(type: string, key: string, ends: boolean): string {
    const slot = slotOf(key, ends);
    if (slot < 0) return `${NEXT_HEAD.get(type) ?? `\t=${type}\t1\t`}${this.field}${keyPart(key, ends)}`;
    let byKey: ByKey | undefined;
    if (type === this.firstType) byKey = this.first!;
    else if (this.firstType === undefined) {
      this.firstType = type;
      byKey = this.first = new ByKey();
    } else {
      byKey = (this.byType ??= new Map()).get(type);
      if (byKey === undefined) this.byType.set(type, (byKey = new ByKey()));
    }
    return byKey.get(slot) ?? byKey.set(slot, flat(`${NEXT_HEAD.get(type) ?? `\t=${type}\t1\t`}${this.field}${keyPart(key, ends)}`));
  }

  /** The line after its distance to its previous event, up to its payload. */
  tail(key: string, ends: boolean): string {
    const slot = slotOf(key, ends);
    if (slot < 0) return `\t${this.field}${keyPart(key, ends)}`;
    const tails = (this.tails ??= new ByKey());
    return tails.get(slot) ?? tails.set(slot, flat(`\t${this.field}${keyPart(key, ends)}`));
  }

  /** A compact entry line after its time offset: `\t<type code><field>\n`. */
  compact(type: string, code: string): string {
    const compacts = (this.compacts ??= new Map());
    let text = compacts.get(type);
    if (text === undefined) compacts.set(type, (text = flat(`\t${code}${this.field}\n`)));
    return text;
  }
}

/** Per state name seen, its field (`s<name>`, or `j<JSON>` when it holds a tab or newline) and lines (names repeat endlessly). */
const nameFields = new Map<string, ConstantField>();
const NAMES_KEPT = 100_000;

/** The field of a state name as details: `s<name>`, or its JSON when it has a tab or newline. */
function nameField(name: string): string {
  return /[\t\n\r]/.test(name) ? `j${JSON.stringify(name)}` : `s${name}`;
}

/** `name`'s constant field, made on first sight; undefined once NAMES_KEPT names are kept. */
function nameConstant(name: string): ConstantField | undefined {
  let known = nameFields.get(name);
  if (known === undefined && nameFields.size < NAMES_KEPT) nameFields.set(name, (known = new ConstantField(nameField(name))));
  return known;
}

/** Events without details: their lines as any constant field's. */
const NO_DETAILS = new ConstantField('');

/** The constant fields of objects made once and used for many events (see constantDetails). */
const constants = new WeakMap<object, ConstantField>();

/**
 * Freezes `details` and encodes it once: for the details many events share
 * (`{ outputDetails: { truncated: false } }`…), which would otherwise be
 * serialised per event (measured: 3.5% of a Map over 1,000 items).
 */
export function constantDetails<T extends Record<string, unknown>>(details: T): T {
  Object.freeze(details);
  constants.set(details, new ConstantField(detailsField(JSON.stringify(details))));
  return details;
}

/** Details given as their stored field (see decodeDetails), for hot events whose caller can write it directly. */
export class EncodedDetails {
  constructor(
    readonly field: string,
    /** Set when the details are shared by many events (see constantEncodedDetails). */
    readonly constant?: ConstantField,
  ) {}
}

/** Details given as their stored field, shared by many events (as constantDetails, for an encoded field). */
export function constantEncodedDetails(field: string): EncodedDetails {
  return new EncodedDetails(field, new ConstantField(field));
}

/** Details given as their JSON text. */
export function jsonDetails(json: string): EncodedDetails {
  return new EncodedDetails(`j${json}`);
}

/** Details given as their JSON text, shared by many events (their lines' texts are kept with them, see ConstantField). */
export function constantJsonDetails(json: string): EncodedDetails {
  return constantEncodedDetails(`j${json}`);
}

/**
 * ExecutionStarted's details, `{ input, inputDetails: { truncated: false }, roleArn, stateMachineArn }`, stored as their
 * three values: `e<input text as a JSON string>,<role and machine ARNs as JSON strings, comma separated>` (~70 characters
 * of names less in every execution's first chunk).
 */
export function startedDetails(inputText: string, arns: string): EncodedDetails {
  return new EncodedDetails(`e${JSON.stringify(inputText)},${arns}`);
}

/** The role and machine ARNs as startedDetails takes them (`arns`). */
export function startedArns(roleArn: string, stateMachineArn: string): string {
  return `${JSON.stringify(roleArn)},${JSON.stringify(stateMachineArn)}`;
}

/**
 * TaskScheduled's details, `{ resourceType: 'lambda', resource, region, parameters, timeoutInSeconds?, heartbeatInSeconds? }`,
 * stored as their values: `p<resource>,<region>` (JSON strings, `where`), then the parameters as JSON (as an object the API
 * gives them as JSON text inside JSON: every quote escaped, and serialised twice), then the timeouts if set.
 */
export function scheduledDetails(where: string, parameters: JsonValue, timeoutSeconds: number | null, heartbeatSeconds: number | null): EncodedDetails {
  return new EncodedDetails(`p${where},${JSON.stringify(parameters ?? null)}${scheduledTimeouts(timeoutSeconds, heartbeatSeconds)}`);
}

function scheduledTimeouts(timeoutSeconds: number | null, heartbeatSeconds: number | null): string {
  return timeoutSeconds || heartbeatSeconds ? `,${timeoutSeconds || null},${heartbeatSeconds || null}` : '';
}

/** Per `where`, then function name: TaskScheduled details of a `lambda:invoke` call up to its payload (see scheduledInvokeDetails). */
const invokeHeads = new Map<string, Map<string, string>>();

/**
 * TaskScheduled's details of a `lambda:invoke` call, whose parameters are `{ FunctionName, Payload }`: the text scheduledDetails
 * writes for them, without making that object and serialising the name again per call (~25% of these details' cost, measured).
 */
export function scheduledInvokeDetails(
  where: string,
  functionName: string,
  payload: JsonValue | undefined,
  timeoutSeconds: number | null,
  heartbeatSeconds: number | null,
  /** `payload`'s JSON, when the caller has it already. */
  payloadJson?: string,
): EncodedDetails {
  if (payload === undefined) return scheduledDetails(where, { FunctionName: functionName }, timeoutSeconds, heartbeatSeconds);
  let heads = invokeHeads.get(where);
  if (!heads) {
    heads = new Map();
    if (invokeHeads.size < 1_000) invokeHeads.set(where, heads);
  }
  let head = heads.get(functionName);
  if (head === undefined) {
    head = `p${where},{"FunctionName":${JSON.stringify(functionName)},"Payload":`;
    if (heads.size < 10_000) heads.set(functionName, head);
  }
  return new EncodedDetails(`${head}${payloadJson ?? JSON.stringify(payload)}}${scheduledTimeouts(timeoutSeconds, heartbeatSeconds)}`);
}

export type EventDetails = StoredEvent[4] | EncodedDetails;

function encodeDetails(details: EventDetails): string {
  if (details === null) return '';
  if (typeof details === 'string') return nameConstant(details)?.field ?? nameField(details);
  if (details instanceof EncodedDetails) return details.field;
  return constants.get(details)?.field ?? `j${JSON.stringify(details)}`;
}

/** The constant field `details` is, if it is one (a state name is, while NAMES_KEPT are not all taken). */
function constantOf(details: EventDetails): ConstantField | undefined {
  if (details === null) return NO_DETAILS;
  if (typeof details === 'string') return nameConstant(details);
  return details instanceof EncodedDetails ? details.constant : constants.get(details);
}

/**
 * Per state name, what addPass writes for a forwarding Pass: its compact PassStateEntered line but its time, and both
 * lines whole by their time offset (a batch takes a few milliseconds, so most offsets are small). One piece per Pass instead
 * of four: a 100-state chain's chunk joined ~100 pieces instead of ~400, the join most of its history's cost (profiled).
 */
const passLines = new Map<string, { entered: string; byOffset: string[] }>();
/** Offsets whose Pass lines are kept whole (see passLines). */
const PASS_OFFSETS_KEPT = 16;

/**
 * The line that stands for a run of forwarding Passes (`>n`, store schema 9): the n states that follow the Pass written on
 * the line before, each the Next of the one before it in the execution's top-level States, each entered and left (two
 * events, ids following on) at that line's time offset with its input, as addPass writes one. A 100-state chain's history
 * in its row was ~1 KB of such lines, a third of a page: a row per commit then filled a page every third execution, and
 * each page the table grows by writes two more to the WAL (the new leaf's parent and the database header). Read back
 * with the definition (expandPassRuns); decodeChunk does not read it.
 */
export const PASS_RUN = '>';
/** `>n\n` per count (most runs are as long as the states stepped between clock readings, see Batch.clock). */
const runLines = Array.from({ length: 64 }, (_, n) => `${PASS_RUN}${n}\n`);

/**
 * A chunk's text with its runs of forwarding Passes (PASS_RUN) written out as addPass writes each: `nextOf` gives a
 * top-level state's Next in the definition the execution ran. Text without runs is returned as it is.
 */
export function expandPassRuns(text: string, nextOf: (state: string) => string | undefined): string {
  if (!text.includes(`\n${PASS_RUN}`)) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  const code = CODE.get('PassStateEntered')!;
  let name: string | undefined;
  let offset = '';
  for (const line of lines) {
    if (line[0] !== PASS_RUN) {
      out.push(line);
      // A compact PassStateEntered, `<offset>\t<code><details>` (its only tab): what a run's first state follows.
      const at = line.indexOf('\t');
      if (at > 0 && line.startsWith(code, at + 1) && line.indexOf('\t', at + 1) < 0) {
        const m = COMPACT.exec(line.slice(at + 1));
        if (m && m[1] === code) {
          offset = line.slice(0, at);
          name = decodeDetails(m[2]) as string;
        }
      }
      continue;
    }
    for (let n = Number(line.slice(1)); n > 0; n--) {
      name = name === undefined ? undefined : nextOf(name);
      if (name === undefined) throw new Error('a run of Pass states in a stored history does not follow the definition');
      out.push(`${offset}\t${code}${encodeDetails(name)}`, offset);
    }
  }
  return out.join('\n');
}

function encodeKey(payloadKey: string): string {
  return payloadKey === 'input' ? 'i' : payloadKey === 'output' ? 'o' : payloadKey;
}

/** `\t<type code>\t1\t`: the fields of a line before its details, for an event right after its predecessor (most are). */
const NEXT_HEAD = new Map(EVENT_TYPES.map((t, i) => [t, `\t${i}\t1\t`]));
/** `\t<type code>\t`: the fields of a line before its distance to its previous event, for the others (a Map's children interleave). */
const TYPE_HEAD = new Map(EVENT_TYPES.map((t, i) => [t, `\t${i}\t`]));

/** `<offset>\n` per time offset: the line of a state left as it was entered (most offsets in a batch are small). */
const OFFSETS_KEPT = 64;
const OFFSET_LINES = Array.from({ length: OFFSETS_KEPT }, (_, offset) => `${offset}\n`);

/** Pieces of text joined at once (see ChunkWriter): a token-waiting execution's chunk is about this many. */
const PIECES_JOINED = 48;

/**
 * Accumulates one execution's events of one batch. Its lines' pieces are joined a few dozen at a time: a template
 * literal or `+=` per field made a string per piece added (~300 bytes of garbage per event, most of the history's cost
 * on the task-token workload).
 */
export class ChunkWriter {
  readonly first: number;
  last: number;
  /** The time the events' offsets count from (the header's). */
  readonly base: number;
  /**
   * The text so far but its last pieces (`parts`): its first join (the header and the first lines, an execution's
   * ExecutionStarted among them), then the rest. Kept apart so expandedText rewrites the first join alone.
   */
  private head: string | undefined;
  private tail = '';
  /**
   * Pieces not yet joined into `text` (the first `count`): joined a few dozen at a time, so a Map's long chunk is no array
   * of thousands. Grown as written and kept between joins: emptied after each (its length set to 0), its backing store
   * was made three times over (17, 41, then 77 slots) for every join; made at its full size up front, it cost a token-waiting
   * execution's short chunks more than their growth did.
   */
  private readonly parts: string[] = [];
  private count = 0;
  private previousPayload: unknown = null;
  /** The previous event's type and details, when it was entered in a compact line (so its exit can be one too). */
  private enteredType: string | undefined;
  private enteredDetails: string | undefined;
  /**
   * A run of forwarding Passes (see PASS_RUN): the Next of the last one written, while nothing followed it; its time
   * offset; the Passes since written as `>n` when the run ends.
   */
  private runNext: string | undefined;
  private runOffset = -1;
  private runCount = 0;

  constructor(first: number, base: number) {
    this.first = first;
    this.last = first - 1;
    this.base = base;
    // The header is the first piece, not the text so far: a chunk joined once (most are) is then one flat string, where
    // the header and its joined lines were a pair that SQLite's binding, or the row's first read, copied into one.
    this.head = undefined;
    this.parts[0] = `${first}\t${base}\n`;
    this.count = 1;
  }

  add(id: number, ts: number, type: string, prev: number, details: EventDetails, payloadKey: string | null, payload: unknown): void {
    this.addAt(id, ts - this.base, type, prev, details, payloadKey, payload);
  }

  /**
   * add() with the event's time as its offset from the chunk's base (`ts - base`): the engine's callers pass that, a small
   * integer, where a time in milliseconds (past what V8 keeps unboxed) was a number allocated on the heap per call.
   */
  addAt(id: number, offset: number, type: string, prev: number, details: EventDetails, payloadKey: string | null, payload: unknown): void {
    if (this.runNext !== undefined || this.runCount !== 0) this.endRun();
    let key = '';
    let body = '';
    if (payloadKey !== null) {
      key = encodeKey(payloadKey);
      if (payload === this.previousPayload && payload !== null && typeof payload === 'object') key = key === 'i' ? '^i' : key === 'o' ? '^o' : `^${key}`;
      else body = JSON.stringify(payload === undefined ? null : payload);
      this.previousPayload = payload;
    } else {
      this.previousPayload = null;
    }
    this.last = id;
    const enteredType = this.enteredType;
    this.enteredType = undefined;
    if (this.count >= PIECES_JOINED) this.join();
    const parts = this.parts;
    let n = this.count;
    const next = id - prev === 1;
    if (body === '' && typeof details === 'string' && next) {
      if (key === '^o' && enteredType !== undefined && details === this.enteredDetails && EXIT_OF.get(enteredType) === type) {
        parts[n] = offset >= 0 && offset < OFFSETS_KEPT ? OFFSET_LINES[offset] : `${offset}\n`;
        this.count = n + 1;
        return;
      }
      if (key === '^i') {
        const code = CODE.get(type);
        if (code !== undefined) {
          parts[n] = String(offset);
          const constant = nameConstant(details);
          if (constant !== undefined) {
            parts[n + 1] = constant.compact(type, code);
            this.count = n + 2;
          } else {
            parts[n + 1] = '\t';
            parts[n + 2] = code;
            parts[n + 3] = nameField(details);
            parts[n + 4] = '\n';
            this.count = n + 5;
          }
          this.enteredType = type;
          this.enteredDetails = details;
          return;
        }
      }
    }
    parts[n++] = String(offset);
    const constant = constantOf(details);
    if (constant !== undefined) {
      if (next) parts[n++] = constant.next(type, key, body === '');
      else {
        parts[n++] = TYPE_HEAD.get(type) ?? `\t=${type}\t`;
        parts[n++] = String(id - prev);
        parts[n++] = constant.tail(key, body === '');
      }
    } else {
      if (next) parts[n++] = NEXT_HEAD.get(type) ?? `\t=${type}\t1\t`;
      else {
        parts[n++] = TYPE_HEAD.get(type) ?? `\t=${type}\t`;
        parts[n++] = String(id - prev);
        parts[n++] = '\t';
      }
      parts[n++] = encodeDetails(details);
      parts[n++] = keyPart(key, body === '');
    }
    if (body !== '') {
      parts[n++] = body;
      parts[n++] = '\n';
    }
    this.count = n;
  }

  /**
   * PassStateEntered (`id`, after `prev`) and PassStateExited (`id + 1`), both at `ts`, with `payload` as input and
   * output: the text the two add() calls write, the common case (the input is the previous event's payload) written directly.
   * `next`: the state this Pass goes to, given for a top-level Pass (whose Next the execution's definition says), so that
   * the Passes that follow it at the same time offset are counted into one `>n` line (PASS_RUN).
   */
  addPass(id: number, ts: number, prev: number, name: string, payload: unknown, next?: string): void {
    this.addPassAt(id, ts - this.base, prev, name, payload, next);
  }

  /** addPass() with the Pass's time as its offset from the chunk's base (see addAt). */
  addPassAt(id: number, offset: number, prev: number, name: string, payload: unknown, next?: string): void {
    if (id - prev === 1 && payload === this.previousPayload && payload !== null && typeof payload === 'object') {
      this.last = id + 1;
      this.enteredType = undefined;
      if (name === this.runNext && offset === this.runOffset) {
        this.runCount++;
        this.runNext = next;
        return;
      }
      if (this.runCount !== 0) this.endRun();
      let lines = passLines.get(name);
      if (lines === undefined) {
        lines = { entered: `\t${CODE.get('PassStateEntered')}${encodeDetails(name)}\n`, byOffset: [] };
        if (passLines.size < 100_000) passLines.set(name, lines);
      }
      if (this.count >= PIECES_JOINED) this.join();
      const parts = this.parts;
      const n = this.count;
      if (offset >= 0 && offset < PASS_OFFSETS_KEPT) {
        parts[n] = lines.byOffset[offset] ??= `${offset}${lines.entered}${offset}\n`;
        this.count = n + 1;
      } else {
        const text = String(offset);
        parts[n] = text;
        parts[n + 1] = lines.entered;
        parts[n + 2] = text;
        parts[n + 3] = '\n';
        this.count = n + 4;
      }
      this.runNext = next;
      this.runOffset = offset;
      return;
    }
    this.addAt(id, offset, 'PassStateEntered', prev, name, 'input', payload);
    this.addAt(id + 1, offset, 'PassStateExited', id, name, 'output', payload);
  }

  /** Writes the Passes counted into the current run, if any; what follows starts no run. */
  private endRun(): void {
    const n = this.runCount;
    this.runNext = undefined;
    if (n === 0) return;
    this.runCount = 0;
    if (this.count >= PIECES_JOINED) this.join();
    this.parts[this.count++] = runLines[n] ?? `${PASS_RUN}${n}\n`;
  }

  /** The chunk's text. */
  toString(): string {
    if (this.runCount !== 0) this.endRun();
    if (this.count > 0) this.join();
    return this.tail === '' ? (this.head ?? '') : this.head + this.tail;
  }

  /**
   * The chunk's text with `rewrite` applied to its first lines only (those of its first join, which hold an execution's
   * ExecutionStarted: see expandStarted). A Map's first chunk (~200 KB) rewritten whole was read into one string to find
   * that line, then copied again into another when bound.
   */
  rewrittenHead(rewrite: (head: string) => string): string {
    if (this.runCount !== 0) this.endRun();
    if (this.count > 0) this.join();
    const head = rewrite(this.head ?? '');
    return this.tail === '' ? head : head + this.tail;
  }

  /**
   * Joins the pieces written into the text. Called with at least PIECES_JOINED of them, over half the array's capacity,
   * cutting its length to them (when earlier, longer rounds left more) keeps the backing store: the next pieces overwrite
   * and append within it; called for the chunk's text, with its last few, it shrinks the array, which is not needed
   * again unless more events come.
   */
  private join(): void {
    const parts = this.parts;
    if (parts.length !== this.count) parts.length = this.count;
    const joined = parts.join('');
    if (this.head === undefined) this.head = joined;
    else this.tail += joined;
    this.count = 0;
  }
}

/** Encodes consecutive events (tests and tools; the engine uses ChunkWriter directly). */
export function encodeChunk(events: StoredEvent[]): string {
  const writer = new ChunkWriter(events[0][0], events[0][1]);
  for (const e of events) writer.add(e[0], e[1], e[2], e[3], e[4], e[5], e[6]);
  return writer.toString();
}

/** Decodes a chunk, resolving `^key` payload references. */
export function decodeChunk(text: string): StoredEvent[] {
  const lines = text.split('\n');
  const [firstText, baseText] = lines[0].split('\t');
  const first = Number(firstText);
  let base = Number(baseText);
  const out: StoredEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    if (line[0] === '#') {
      // A later batch's chunk appended to this one (the history kept in an execution's row): its ids follow on, its times have their own base.
      base = Number(line.slice(line.indexOf('\t') + 1));
      continue;
    }
    const f = line.split('\t');
    const id = first + out.length;
    if (f.length <= 2) {
      const before = out[out.length - 1];
      if (f.length === 1) {
        out.push([id, base + Number(f[0]), EXIT_OF.get(before[2])!, id - 1, before[4], 'output', before[6]]);
      } else {
        const m = COMPACT.exec(f[1])!;
        out.push([id, base + Number(f[0]), EVENT_TYPES[Number(m[1])], id - 1, decodeDetails(m[2]), 'input', before ? before[6] : null]);
      }
      continue;
    }
    const type = f[1][0] === '=' ? f[1].slice(1) : EVENT_TYPES[Number(f[1])];
    const details = decodeDetails(f[3]);
    let key: string | null = f[4] || null;
    let payload: unknown = null;
    if (key && key[0] === '^') {
      key = key.slice(1);
      payload = out.length ? out[out.length - 1][6] : null;
    } else if (key) payload = JSON.parse(f[5]);
    if (key) key = KEY_NAME[key] ?? key;
    out.push([id, base + Number(f[0]), type, id - Number(f[2]), details, key, payload]);
  }
  return out;
}
