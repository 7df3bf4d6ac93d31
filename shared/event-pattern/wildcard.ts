/**
 * EventBridge wildcard values: `*` matches any run of characters, `\*` is a
 * literal asterisk and `\\` a literal backslash. Consecutive `*` and any other
 * escape are refused, as EventBridge refuses them.
 */

/** The reason a wildcard value is refused, or null when it is valid. */
export function wildcardProblem(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '*' && value[i + 1] === '*') return `consecutive wildcard characters at position ${i} of "${value}"`;
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') return `invalid escape at position ${i} of "${value}": only \\* and \\\\ may be escaped`;
      i++;
    }
  }
  return null;
}

/**
 * EventBridge refuses a rule whose wildcards make matching too complex. Its
 * measure (states its matcher may hold at once) is not published as a number
 * of characters; locally the measure is the wildcard characters in the
 * wildcard values of one field, since each `*` is one position a match may be
 * tracking, and the limit keeps a field's matching cost a small multiple of
 * the value's length.
 */
export const MAX_WILDCARDS_PER_FIELD = 10;

/** The number of unescaped `*` in a valid wildcard value. */
export function wildcardCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === '*') count++;
  }
  return count;
}

/** The literal runs between the `*` of a valid wildcard value, escapes resolved (`a*b*` → ['a', 'b', '']). */
function literalRuns(value: string): string[] {
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '*') {
      runs.push(run);
      run = '';
    } else run += c === '\\' ? value[++i] : c;
  }
  runs.push(run);
  return runs;
}

/** Knuth–Morris–Pratt failure table: searching with it never re-reads the text. */
function failureTable(needle: string): Int32Array {
  const table = new Int32Array(needle.length);
  let k = 0;
  for (let i = 1; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = table[k - 1];
    if (needle[i] === needle[k]) k++;
    table[i] = k;
  }
  return table;
}

/** The first index ≥ from where `needle` lies wholly before `end`, or -1; reads each character of the range once. */
function findWithin(text: string, needle: string, table: Int32Array, from: number, end: number): number {
  let k = 0;
  for (let i = from; i < end; i++) {
    while (k > 0 && text[i] !== needle[k]) k = table[k - 1];
    if (text[i] === needle[k]) k++;
    if (k === needle.length) return i - needle.length + 1;
  }
  return -1;
}

/**
 * Compiles a valid wildcard value into a test that runs in time linear in the
 * text and the value (see `literalRunsMatcher`).
 * @example wildcardMatcher('*re*fu*nd*x')('refund x') // true
 */
export function wildcardMatcher(value: string): (text: string) => boolean {
  return literalRunsMatcher(literalRuns(value));
}

/**
 * A test for "the literal runs, in order, with any text between them": the
 * first run must start the text and the last end it, and each run between is
 * taken at its leftmost place after the one before (for `*`-only patterns,
 * leftmost placement never loses a match), so no position is ever revisited.
 * Shared by dialects that spell wildcards differently (ASL's StringMatches
 * keeps a backslash that escapes nothing).
 * @example literalRunsMatcher(['re', 'nd'])('refund') // true
 */
export function literalRunsMatcher(runs: string[]): (text: string) => boolean {
  if (runs.length === 1) return (text) => text === runs[0];
  const first = runs[0];
  const last = runs[runs.length - 1];
  const middle = runs
    .slice(1, -1)
    .filter((r) => r.length > 0)
    .map((r) => ({ run: r, table: failureTable(r) }));
  return (text) => {
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
    let at = first.length;
    const end = text.length - last.length;
    for (const { run, table } of middle) {
      const found = findWithin(text, run, table, at, end);
      if (found < 0) return false;
      at = found + run.length;
    }
    return true;
  };
}
