/**
 * A handler's own copy of its event. Events are nearly always plain JSON
 * (a task's payload); structuredClone serialises and reads back even those,
 * the largest allocation of an in-process invocation (profiled). Plain JSON
 * is copied directly; anything else (a Date, a Map, a class instance, a
 * sparse array, a `__proto__` key, very deep data) goes to structuredClone,
 * so its copy, and its errors, are what they were.
 */

/** Past this depth structuredClone copies (a recursive walk must not run out of stack). */
const MAX_DEPTH = 64;
const NOT_PLAIN = Symbol('not plain JSON');

function copyPlain(value: unknown, depth: number): unknown {
  if (value === null) return null;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined') return value;
  if (type !== 'object' || depth > MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item = copyPlain(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (key === '__proto__') return NOT_PLAIN;
    const item = copyPlain((value as Record<string, unknown>)[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    out[key] = item;
  }
  return out;
}

/** `event`'s own copy: a handler that mutates it must not change what the caller holds. */
export function copyOfEvent<T>(event: T): T {
  if (typeof event !== 'object' || event === null) return event;
  const copy = copyPlain(event, 0);
  return copy === NOT_PLAIN ? structuredClone(event) : (copy as T);
}
