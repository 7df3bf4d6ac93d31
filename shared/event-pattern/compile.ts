/**
 * Compiles an EventBridge event pattern into closures, once, so matching an
 * event walks only the fields the pattern names and answers exact values with
 * Set lookups (see bench/event-pattern.bench.ts for the measured gain over
 * re-reading the pattern JSON per event).
 *
 * Semantics, as EventBridge matches:
 * - fields of an object are ANDed, values of a field's array are ORed, `$or`
 *   picks one of its branches;
 * - an event array matches when any of its elements does; an object pattern
 *   under an array of objects must match within one element;
 * - values are typed: "5" never equals 5, 3.0 equals 3, null is a value
 *   (`exists: true` matches it) and a missing field is not;
 * - only leaves are values: an object in the event is not a leaf, so
 *   `exists: false` matches it and `exists: true` does not.
 */
import type { Condition, PatternNode, Scalar } from './ast';
import { InvalidEventPatternError } from './errors';
import { parseIp } from './ip-address';
import { parseEventPattern } from './parse';
import { wildcardMatcher } from './wildcard';

/** Whether an event matches; built once per pattern by `compileEventPattern`. */
export type EventMatcher = (event: unknown) => boolean;

type ScalarTest = (value: Scalar) => boolean;
type FieldTest = (raw: unknown) => boolean;
type ObjectTest = (object: Record<string, unknown> | undefined) => boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function ipKey(text: string): string | null {
  const ip = parseIp(text);
  return ip ? `${ip.family}:${ip.value.toString(16)}` : null;
}

/** One test for all of a field's conditions except `exists`. */
function compileScalarTest(conditions: Condition[]): ScalarTest | null {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const ips = new Set<string>();
  const lowerStrings = new Set<string>();
  let matchTrue = false;
  let matchFalse = false;
  let matchNull = false;
  const others: ScalarTest[] = [];

  for (const c of conditions) {
    switch (c.type) {
      case 'exact': {
        const v = c.value;
        if (typeof v === 'string') {
          strings.add(v);
          const key = c.literal ? null : ipKey(v);
          if (key) ips.add(key);
        } else if (typeof v === 'number') numbers.add(v);
        else if (v === true) matchTrue = true;
        else if (v === false) matchFalse = true;
        else matchNull = true;
        break;
      }
      case 'equals-ignore-case':
        lowerStrings.add(c.value.toLowerCase());
        break;
      case 'prefix': {
        const p = c.ignoreCase ? c.value.toLowerCase() : c.value;
        others.push(c.ignoreCase ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(p) : (v) => typeof v === 'string' && v.startsWith(p));
        break;
      }
      case 'suffix': {
        const s = c.ignoreCase ? c.value.toLowerCase() : c.value;
        others.push(c.ignoreCase ? (v) => typeof v === 'string' && v.toLowerCase().endsWith(s) : (v) => typeof v === 'string' && v.endsWith(s));
        break;
      }
      case 'wildcard': {
        const test = wildcardMatcher(c.value);
        others.push((v) => typeof v === 'string' && test(v));
        break;
      }
      case 'numeric': {
        const { lower, upper } = c;
        others.push((v) => {
          if (typeof v !== 'number') return false;
          if (lower && (lower.inclusive ? v < lower.value : v <= lower.value)) return false;
          if (upper && (upper.inclusive ? v > upper.value : v >= upper.value)) return false;
          return true;
        });
        break;
      }
      case 'cidr': {
        const { family, low, high } = c;
        others.push((v) => {
          if (typeof v !== 'string') return false;
          const ip = parseIp(v);
          return ip !== null && ip.family === family && ip.value >= low && ip.value <= high;
        });
        break;
      }
      case 'anything-but': {
        // Only a value of the listed type can be excluded; anything else (null,
        // booleans, the other type) is "anything but" and matches.
        if (c.numbers.length > 0) {
          const excluded = new Set(c.numbers);
          others.push((v) => !(typeof v === 'number' && excluded.has(v)));
        } else {
          const excluded = new Set(c.strings);
          others.push((v) => !(typeof v === 'string' && excluded.has(v)));
        }
        break;
      }
      case 'anything-but-string':
        others.push(compileAnythingButString(c.mode, c.values));
        break;
      case 'exists':
        break;
    }
  }

  const hasExact = strings.size + numbers.size + ips.size + lowerStrings.size > 0 || matchTrue || matchFalse || matchNull;
  if (!hasExact && others.length === 0) return null;
  const exact: ScalarTest = (v) => {
    switch (typeof v) {
      case 'string':
        if (strings.has(v)) return true;
        if (lowerStrings.size > 0 && lowerStrings.has(v.toLowerCase())) return true;
        if (ips.size > 0) {
          const key = ipKey(v);
          if (key !== null && ips.has(key)) return true;
        }
        return false;
      case 'number':
        return numbers.has(v);
      case 'boolean':
        return v ? matchTrue : matchFalse;
      default:
        return v === null && matchNull;
    }
  };
  if (others.length === 0) return exact;
  if (!hasExact && others.length === 1) return others[0];
  return (v) => {
    if (exact(v)) return true;
    for (const test of others) if (test(v)) return true;
    return false;
  };
}

function compileAnythingButString(mode: 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard', values: string[]): ScalarTest {
  switch (mode) {
    case 'prefix':
      return (v) => typeof v !== 'string' || !values.some((p) => v.startsWith(p));
    case 'suffix':
      return (v) => typeof v !== 'string' || !values.some((s) => v.endsWith(s));
    case 'equals-ignore-case': {
      const lowered = new Set(values.map((s) => s.toLowerCase()));
      return (v) => typeof v !== 'string' || !lowered.has(v.toLowerCase());
    }
    case 'wildcard': {
      const tests = values.map((w) => wildcardMatcher(w));
      return (v) => typeof v !== 'string' || !tests.some((test) => test(v));
    }
  }
}

/** Tests a leaf field: `raw` is whatever the event holds there (or undefined). */
function compileLeaf(conditions: Condition[]): FieldTest {
  let existsTrue = false;
  let existsFalse = false;
  for (const c of conditions) {
    if (c.type === 'exists') {
      if (c.value) existsTrue = true;
      else existsFalse = true;
    }
  }
  const test = compileScalarTest(conditions);

  // Returns 'match' on a matching leaf value, else whether any leaf value was seen.
  const scanArray = (array: unknown[]): boolean | 'match' => {
    let seen = false;
    for (const item of array) {
      if (Array.isArray(item)) {
        const inner = scanArray(item);
        if (inner === 'match') return 'match';
        seen ||= inner;
      } else if (item === null || typeof item !== 'object') {
        seen = true;
        if (test !== null && test(item as Scalar)) return 'match';
      }
    }
    return seen;
  };

  return (raw) => {
    if (raw === undefined) return existsFalse;
    if (Array.isArray(raw)) {
      const result = scanArray(raw);
      if (result === 'match') return true;
      return result ? existsTrue : existsFalse;
    }
    if (typeof raw === 'object' && raw !== null) return existsFalse;
    return existsTrue || (test !== null && test(raw as Scalar));
  };
}

function collectObjects(array: unknown[], out: Record<string, unknown>[]): void {
  for (const item of array) {
    if (Array.isArray(item)) collectObjects(item, out);
    else if (isPlainObject(item)) out.push(item);
  }
}

/** Tests a nested pattern object against whatever the event holds at its place. */
function compileNested(node: PatternNode): FieldTest {
  const single = compileObject(node);
  return (raw) => {
    if (isPlainObject(raw)) return single(raw);
    if (Array.isArray(raw)) {
      const objects: Record<string, unknown>[] = [];
      collectObjects(raw, objects);
      if (objects.length === 0) return single(undefined);
      for (const object of objects) if (single(object)) return true;
      return false;
    }
    return single(undefined);
  };
}

function compileObject(node: PatternNode): ObjectTest {
  const keys = node.fields.map((f) => f.key);
  const tests = node.fields.map((f) => (f.kind === 'leaf' ? compileLeaf(f.conditions) : compileNested(f.node)));
  const branches = node.or?.map(compileObject) ?? null;
  const n = keys.length;
  return (object) => {
    for (let i = 0; i < n; i++) {
      let raw: unknown;
      if (object !== undefined) {
        raw = object[keys[i]];
        // A key like "constructor" must not find Object.prototype's.
        if (raw !== undefined && !Object.hasOwn(object, keys[i])) raw = undefined;
      }
      if (!tests[i](raw)) return false;
    }
    if (branches === null) return true;
    for (const branch of branches) if (branch(object)) return true;
    return false;
  };
}

/**
 * Compiles `pattern` once into a matcher. Throws InvalidEventPatternError
 * (code `EventPattern.Invalid`, with every problem) when EventBridge would
 * refuse the pattern.
 *
 * @example
 * const isRefund = compileEventPattern({ source: ['stripe'], detail: { amount: [{ numeric: ['>', 50] }] } });
 * isRefund({ source: 'stripe', detail: { amount: 120 } }); // true
 */
export function compileEventPattern(pattern: unknown): EventMatcher {
  const { node, problems } = parseEventPattern(pattern);
  if (problems.length > 0 || node === null) throw new InvalidEventPatternError(problems);
  return compileNested(node);
}

/**
 * Compiles an already parsed (and valid) pattern node; the pattern set uses it
 * for what remains of a pattern once its index has checked some fields.
 */
export function compilePatternNode(node: PatternNode): EventMatcher {
  return compileNested(node);
}

/** One-off match (compiles the pattern each call; keep the compiled matcher for repeated use). */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}
