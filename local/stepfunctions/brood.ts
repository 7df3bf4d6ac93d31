/**
 * The text of a Brood row (frame.ts): the children a Map or Parallel state
 * starts together, as one JSON array. Siblings differ in a few fields (id,
 * index, input, event ids, request id), so each child after the first is
 * written as what differs from the child before it, marked `"^":1`: a Map
 * over 1,000 items wrote ~460 bytes a child in full, ~150 so. The fields
 * compared are the frame's own and those of its task and the task's call;
 * anything else is written whole when it is not the very value the sibling
 * holds. A child whose fields are not the sibling's set is written in full.
 */
import type { FrameData, TaskData } from './frame';

type Fields = Record<string, unknown>;

/** Marks an entry written as its differences from the entry before it. */
const SAME = '^';

function sameKeys(a: Fields, b: Fields, keys: string[]): boolean {
  const other = Object.keys(b);
  if (other.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== other[i]) return false;
  return true;
}

/** Equal as the sibling's value: the same primitive or object, or both empty arrays (every frame has its own `attempts`). */
function same(a: unknown, b: unknown): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.length === 0 && b.length === 0);
}

/**
 * The fields of `data` that differ from `before`'s, or undefined when the two have different field sets or a field
 * `data` leaves undefined is set in `before` (its absence could not be told from "the same").
 */
function difference(data: Fields, before: Fields, nested: (key: string, a: unknown, b: unknown) => Fields | undefined | null): Fields | undefined {
  const keys = Object.keys(data);
  if (!sameKeys(data, before, keys)) return undefined;
  const out: Fields = {};
  for (const key of keys) {
    const value = data[key];
    const was = before[key];
    if (same(value, was)) continue;
    if (value === undefined) return undefined;
    const inner = nested(key, value, was);
    if (inner === undefined) return undefined;
    if (inner === null) out[key] = value;
    else if (Object.keys(inner).length > 0) out[key] = inner;
  }
  return out;
}

const plain = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

function taskDifference(task: TaskData, before: TaskData): Fields | undefined {
  return difference(task as unknown as Fields, before as unknown as Fields, (key, a, b) =>
    key === 'call' && plain(a) && plain(b) ? difference(a, b, () => null) : null,
  );
}

/** One child's entry in a brood row: its differences from `before` (the sibling written just before it), or all of it. */
export function broodEntry(data: FrameData, before: FrameData | undefined): string {
  if (before) {
    const diff = difference(data as unknown as Fields, before as unknown as Fields, (key, a, b) =>
      key === 'task' && plain(a) && plain(b) ? taskDifference(a as unknown as TaskData, b as unknown as TaskData) : null,
    );
    if (diff) return JSON.stringify({ ...diff, [SAME]: 1 });
  }
  return JSON.stringify(data);
}

/** The children of a brood row, each whole (an entry written in full, as every entry before this format was, is taken as it is). */
export function decodeBrood(body: string): FrameData[] {
  const out: FrameData[] = [];
  let before: Fields | undefined;
  for (const entry of JSON.parse(body) as Fields[]) {
    let data: Fields = entry;
    if (entry[SAME] === 1 && before) {
      data = { ...before, ...entry };
      delete data[SAME];
      // Objects compared field by field are the frame's own: never shared with the sibling it was read from.
      const task = before.task as Fields | undefined;
      if (task) {
        const changed = (entry.task ?? {}) as Fields;
        data.task = { ...task, ...changed };
        if (task.call !== undefined) (data.task as Fields).call = { ...(task.call as Fields), ...((changed.call ?? {}) as Fields) };
      }
      if (Array.isArray(data.attempts) && data.attempts === before.attempts) data.attempts = [...(data.attempts as unknown[])];
    }
    out.push(data as unknown as FrameData);
    before = data;
  }
  return out;
}
