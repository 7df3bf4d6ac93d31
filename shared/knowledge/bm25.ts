/**
 * Okapi BM25 over an in-memory inverted index.
 *
 *   score(q, c) = Σ_t∈q idf(t) · tf(t,c)·(k1+1) / (tf(t,c) + k1·(1 − b + b·|c|/avgdl))
 *   idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
 *
 * with k1 = 1.2 (how fast repeated terms saturate) and b = 0.75 (how much long
 * chunks are penalised), the usual defaults. The idf is the Lucene form, which
 * never goes negative, so a term in most chunks adds little instead of
 * subtracting. Query terms are deduplicated: repeating a word in a question
 * does not double its weight.
 *
 * Several indexes (one per namespace) can be scored as one corpus: N, the
 * average length and document frequencies are summed across them, so scores
 * from different namespaces are comparable.
 */
import { termFrequencies } from './tokenize';

export const BM25_DEFAULTS = { k1: 1.2, b: 0.75 } as const;

export interface Bm25Params {
  k1: number;
  b: number;
}

/** An inverted index of chunks: term → (chunk key → term frequency). */
export class InvertedIndex {
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();
  private readonly termsOf = new Map<string, string[]>();
  private total = 0;

  get size(): number {
    return this.lengths.size;
  }

  get totalLength(): number {
    return this.total;
  }

  has(key: string): boolean {
    return this.lengths.has(key);
  }

  /** Adds (or replaces) a chunk's terms. */
  add(key: string, terms: readonly string[]): void {
    if (this.lengths.has(key)) this.remove(key);
    const tf = termFrequencies(terms);
    for (const [term, n] of tf) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = new Map()));
      p.set(key, n);
    }
    this.lengths.set(key, terms.length);
    this.termsOf.set(key, [...tf.keys()]);
    this.total += terms.length;
  }

  remove(key: string): void {
    const terms = this.termsOf.get(key);
    if (!terms) return;
    for (const term of terms) {
      const p = this.postings.get(term);
      p?.delete(key);
      if (p && p.size === 0) this.postings.delete(term);
    }
    this.total -= this.lengths.get(key) ?? 0;
    this.lengths.delete(key);
    this.termsOf.delete(key);
  }

  postingsOf(term: string): ReadonlyMap<string, number> | undefined {
    return this.postings.get(term);
  }

  lengthOf(key: string): number {
    return this.lengths.get(key) ?? 0;
  }
}

/**
 * BM25 scores of every chunk that shares at least one term with the query,
 * across all `indexes` taken as one corpus. Chunks with no query term are
 * absent (score 0). Keys must be unique across the indexes.
 */
export function bm25Scores(queryTerms: readonly string[], indexes: readonly InvertedIndex[], params: Bm25Params = BM25_DEFAULTS): Map<string, number> {
  const scores = new Map<string, number>();
  const n = indexes.reduce((s, i) => s + i.size, 0);
  if (n === 0) return scores;
  const avgdl = indexes.reduce((s, i) => s + i.totalLength, 0) / n || 1;
  for (const term of new Set(queryTerms)) {
    const lists = indexes
      .map((i) => [i, i.postingsOf(term)] as const)
      .filter((e): e is readonly [InvertedIndex, ReadonlyMap<string, number>] => e[1] !== undefined);
    const df = lists.reduce((s, [, p]) => s + p.size, 0);
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const [index, postings] of lists) {
      for (const [key, tf] of postings) {
        const norm = params.k1 * (1 - params.b + (params.b * index.lengthOf(key)) / avgdl);
        scores.set(key, (scores.get(key) ?? 0) + (idf * tf * (params.k1 + 1)) / (tf + norm));
      }
    }
  }
  return scores;
}
