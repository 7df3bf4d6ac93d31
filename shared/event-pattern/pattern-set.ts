/**
 * Many patterns matched against one event, as a bus matches its rules.
 *
 * Patterns are arranged in a decision tree over the top-level fields they pin
 * to exact strings (nearly every trigger pins `source`, most also
 * `detail-type`): each level looks the event's value up in a Map and descends
 * only into the patterns that can still match. A pattern reached at the bottom
 * runs just the part the tree has not already checked (usually `detail`), so an
 * event costs a few Map lookups plus the rules that share its source and type,
 * however many rules the bus holds.
 */
import type { LeafField, NestedField, PatternNode } from './ast';
import { type EventMatcher, compilePatternNode } from './compile';
import { InvalidEventPatternError } from './errors';
import { looksLikeIp } from './ip-address';
import { parseEventPattern } from './parse';

/** Returns the indexes (in input order) of the patterns an event matches. */
export type EventPatternSetMatcher = (event: unknown) => number[];

/** Fields preferred when several split the same number of patterns. */
const PREFERRED_KEYS = ['source', 'detail-type'];

interface Entry {
  index: number;
  node: PatternNode;
  /** Top-level fields whose every condition is an exact, non-IP string: field → those strings. */
  keys: Map<string, string[]>;
}

/** A pattern to run when the walk reaches its tree node; `test` null: nothing left to check. */
interface Candidate {
  index: number;
  test: EventMatcher | null;
}

interface TreeNode {
  candidates: Candidate[];
  splits: Array<{ field: string; byValue: Map<string, TreeNode> }>;
}

function exactStringKeys(node: PatternNode): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const field of node.fields) {
    if (field.kind !== 'leaf' || field.conditions.length === 0) continue;
    const values: string[] = [];
    // IP literals match other spellings of the address, so they cannot be keys.
    const exact = field.conditions.every(
      (c) => c.type === 'exact' && typeof c.value === 'string' && (c.literal || !looksLikeIp(c.value)) && values.push(c.value),
    );
    if (exact) keys.set(field.key, [...new Set(values)]);
  }
  return keys;
}

/** The field that splits the most of `entries`, ignoring those already checked on the way here. */
function bestField(entries: Entry[], checked: ReadonlySet<string>): string | null {
  const counts = new Map<string, number>();
  for (const entry of entries) for (const field of entry.keys.keys()) if (!checked.has(field)) counts.set(field, (counts.get(field) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [field, count] of counts) {
    const preferred =
      best !== null &&
      count === bestCount &&
      PREFERRED_KEYS.indexOf(field) >= 0 &&
      (PREFERRED_KEYS.indexOf(best) < 0 || PREFERRED_KEYS.indexOf(field) < PREFERRED_KEYS.indexOf(best));
    if (count > bestCount || preferred) {
      best = field;
      bestCount = count;
    }
  }
  return best;
}

/** What remains of a pattern once the fields in `checked` are known to match. */
function residualTest(node: PatternNode, checked: ReadonlySet<string>): EventMatcher | null {
  const fields: Array<LeafField | NestedField> = node.fields.filter((f) => !checked.has(f.key));
  if (fields.length === 0 && node.or === null) return null;
  return compilePatternNode({ fields, or: node.or });
}

function buildTree(entries: Entry[], checked: ReadonlySet<string>): TreeNode {
  const tree: TreeNode = { candidates: [], splits: [] };
  let remaining = entries;
  for (let field = bestField(remaining, checked); field !== null; field = bestField(remaining, checked)) {
    const buckets = new Map<string, Entry[]>();
    const rest: Entry[] = [];
    for (const entry of remaining) {
      const values = entry.keys.get(field);
      if (!values) {
        rest.push(entry);
        continue;
      }
      for (const value of values) {
        const bucket = buckets.get(value);
        if (bucket) bucket.push(entry);
        else buckets.set(value, [entry]);
      }
    }
    const below = new Set(checked).add(field);
    const byValue = new Map<string, TreeNode>();
    for (const [value, bucket] of buckets) byValue.set(value, buildTree(bucket, below));
    tree.splits.push({ field, byValue });
    remaining = rest;
  }
  for (const entry of remaining) tree.candidates.push({ index: entry.index, test: residualTest(entry.node, checked) });
  return tree;
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
  const entries: Entry[] = patterns.map((pattern, index) => {
    const { node, problems } = parseEventPattern(pattern);
    if (problems.length > 0 || node === null) throw new InvalidEventPatternError(problems);
    return { index, node, keys: exactStringKeys(node) };
  });
  const root = buildTree(entries, new Set());
  // Only an event that is an object has top-level fields to look up; anything
  // else (never a bus event, but the matcher accepts it) runs every pattern.
  let whole: EventMatcher[] | null = null;
  const seen = new Uint32Array(patterns.length);
  let epoch = 0;

  const visit = (tree: TreeNode, event: Record<string, unknown>, matched: number[]): void => {
    for (const { index, test } of tree.candidates) {
      // An event array can reach one pattern through two of its values.
      if (seen[index] === epoch) continue;
      seen[index] = epoch;
      if (test === null || test(event)) matched.push(index);
    }
    for (const { field, byValue } of tree.splits) {
      const raw = event[field];
      // Own fields only: a key like "constructor" must not reach Object.prototype's.
      if (typeof raw === 'string') {
        const next = byValue.get(raw);
        if (next && Object.hasOwn(event, field)) visit(next, event, matched);
      } else if (Array.isArray(raw) && Object.hasOwn(event, field)) visitEach(raw, byValue, event, matched);
    }
  };
  const visitEach = (values: unknown[], byValue: Map<string, TreeNode>, event: Record<string, unknown>, matched: number[]): void => {
    for (const value of values) {
      if (typeof value === 'string') {
        const next = byValue.get(value);
        if (next) visit(next, event, matched);
      } else if (Array.isArray(value)) visitEach(value, byValue, event, matched);
    }
  };

  return (event) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      whole ??= entries.map((entry) => compilePatternNode(entry.node));
      return whole.flatMap((test, index) => (test(event) ? [index] : []));
    }
    epoch = (epoch + 1) >>> 0;
    // After 2^32 events the marks start over, so none left from long ago reads as this event's.
    if (epoch === 0) {
      seen.fill(0);
      epoch = 1;
    }
    const matched: number[] = [];
    visit(root, event as Record<string, unknown>, matched);
    return matched.length > 1 ? matched.sort((a, b) => a - b) : matched;
  };
}
