/**
 * Tokenisation for BM25: the same function indexes chunks and parses queries,
 * so whatever it does (lowercasing, accent folding, stopwords, stemming) is
 * applied symmetrically.
 *
 * - Lowercase, Unicode NFKD with combining marks removed ("café" → "cafe").
 * - Tokens are runs of ASCII letters and digits; everything else separates.
 *   Single letters are dropped (they carry no meaning in English); digits are
 *   kept, so "$50" and "30 days" match on "50" and "30".
 * - A fixed English stopword list (below) is removed.
 * - A light suffix stemmer (`stem`) folds plurals and -ed/-ing forms, so
 *   "refunds", "refunded" and "refunding" all become "refund". It is not
 *   Porter: it is predictable and small, and it only has to agree with itself.
 */

/** Function words that say nothing about a topic. Kept short on purpose: "not", "no" and "free" stay searchable. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her here hers him his how ' +
    'i if in into is it its itself just me my myself of on once only or our ours ourselves out over own same she should so some ' +
    'such than that the their theirs them themselves then there these they this those through to too under until up very was we ' +
    'were what when where which while who whom why will with would you your yours yourself yourselves am about again against all any ' +
    'both each few more most other s t don after before above below down off further am also get got im ive id let lets us'
  ).split(/\s+/),
);

const VOWEL = /[aeiouy]/;

/**
 * Folds common English inflections. Deterministic, dictionary-free.
 * @example stem('shipping') === stem('shipped') === stem('ships') === 'ship'
 */
export function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  let w = word;
  // Plurals and third person.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  // Past tense and gerund, only when a syllable remains ("need", "ring" stay).
  let stripped = false;
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix)) {
      const rest = w.slice(0, -suffix.length);
      if (rest.length >= 3 && VOWEL.test(rest)) {
        w = rest;
        stripped = true;
      }
      break;
    }
  }
  // "shipp" → "ship", but "roll", "press" and "buzz" keep their doubles.
  if (stripped && /([b-df-hj-kmnp-rtv-wxy])\1$/.test(w)) w = w.slice(0, -1);
  // British doubling before -ed/-ing: "cancelled" meets "cancel", while "spill" keeps its ll.
  else if (stripped && w.length > 5 && w.endsWith('ell')) w = w.slice(0, -1);
  // A final silent e: "descale" and "descaling" meet at "descal".
  if (w.length > 4 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 4) w = `${w.slice(0, -1)}i`;
  return w;
}

/** The terms of a text, in order, with repeats (term frequency matters to BM25). */
export function tokenize(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const out: string[] = [];
  for (const raw of folded.split(/[^a-z0-9]+/)) {
    if (raw.length === 0) continue;
    if (raw.length === 1 && !/\d/.test(raw)) continue;
    if (STOPWORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** Term → count. */
export function termFrequencies(terms: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}
