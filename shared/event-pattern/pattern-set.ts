/**
 * Many patterns matched against one event, as a bus matches its rules. Each
 * pattern is compiled once; patterns whose top level pins a field to exact
 * strings (nearly every trigger pins `source`) are indexed by those strings,
 * so an event only runs the patterns that can match its source.
 */
import type { PatternNode } from './ast';
import { type EventMatcher, compileEventPattern } from './compile';
import { looksLikeIp } from './ip-address';
import { parseEventPattern } from './parse';

/** Returns the indexes (in input order) of the patterns an event matches. */
export type EventPatternSetMatcher = (event: unknown) => number[];

const PREFERRED_KEYS = ['source', 'detail-type'];

/** The top-level field to index a pattern by, with its exact strings; null when none qualifies. */
function indexKey(node: PatternNode): { field: string; values: string[] } | null {
  const candidates: Array<{ field: string; values: string[] }> = [];
  for (const field of node.fields) {
    if (field.kind !== 'leaf' || field.conditions.length === 0) continue;
    const values: string[] = [];
    // IP literals match other spellings of the address, so they cannot be keys.
    const exactStrings = field.conditions.every((c) => c.type === 'exact' && typeof c.value === 'string' && (c.literal || !looksLikeIp(c.value)) && values.push(c.value));
    if (exactStrings) candidates.push({ field: field.key, values });
  }
  for (const key of PREFERRED_KEYS) {
    const found = candidates.find((c) => c.field === key);
    if (found) return found;
  }
  return candidates[0] ?? null;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
}

/**
 * Compiles patterns into one matcher that returns the indexes of those an
 * event matches. Throws InvalidEventPatternError for the first invalid one.
 *
 * @example
 * const match = compileEventPatternSet([{ source: ['stripe'] }, { source: ['zendesk'] }]);
 * match({ source: 'zendesk' }); // [1]
 */
export function compileEventPatternSet(patterns: unknown[]): EventPatternSetMatcher {
  const matchers: EventMatcher[] = patterns.map((p) => compileEventPattern(p));
  const index = new Map<string, Map<string, number[]>>();
  const unindexed: number[] = [];
  patterns.forEach((pattern, i) => {
    const node = parseEventPattern(pattern).node;
    const key = node && indexKey(node);
    if (!key) {
      unindexed.push(i);
      return;
    }
    let byValue = index.get(key.field);
    if (!byValue) index.set(key.field, (byValue = new Map()));
    for (const value of new Set(key.values)) {
      const list = byValue.get(value);
      if (list) list.push(i);
      else byValue.set(value, [i]);
    }
  });
  const fields = [...index.entries()];
  const seen = new Uint32Array(patterns.length);
  let epoch = 0;

  return (event) => {
    const matched: number[] = [];
    epoch = (epoch + 1) >>> 0 || 1;
    const object = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : undefined;
    for (const [field, byValue] of fields) {
      const raw = object && Object.hasOwn(object, field) ? object[field] : undefined;
      const values: string[] = [];
      collectStrings(raw, values);
      for (const value of values) {
        const candidates = byValue.get(value);
        if (!candidates) continue;
        for (const i of candidates) {
          if (seen[i] === epoch) continue;
          seen[i] = epoch;
          if (matchers[i](event)) matched.push(i);
        }
      }
    }
    for (const i of unindexed) if (matchers[i](event)) matched.push(i);
    return matched.sort((a, b) => a - b);
  };
}
