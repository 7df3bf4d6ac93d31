/**
 * Search that blends vector similarity into BM25, for a deployment with
 * embeddings (and the processes that keep the whole store). Kept apart from
 * reader.ts so a function built without embeddings carries no vector code.
 *
 * score = (1 − w) · bm25 / best bm25 + w · max(0, cosine(query, chunk)),
 * over every chunk of the searched namespaces; a chunk whose vector came from
 * another model (or has none) counts on BM25 alone.
 */
import { cosine, DEFAULT_VECTOR_WEIGHT, type Embedder } from './embeddings';
import type { NamespaceIndex } from './namespace-index';
import { KnowledgeReader, type ChunkScore, type KnowledgeReaderOptions } from './reader';

export interface BlendingReaderOptions extends KnowledgeReaderOptions {
  /** Blends vector similarity into ranking when given; BM25 only when null. */
  embedder?: Embedder | null;
  /** Share of vector similarity in the blended score (0–1). */
  vectorWeight?: number;
}

export class BlendingReader extends KnowledgeReader {
  private readonly embedder: Embedder | null;
  private readonly vectorWeight: number;

  constructor(options: BlendingReaderOptions) {
    super(options);
    this.embedder = options.embedder ?? null;
    this.vectorWeight = options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT;
  }

  protected override async scores(query: string, indexes: readonly NamespaceIndex[], bm25: ReadonlyMap<string, number>): Promise<Map<string, ChunkScore>> {
    if (!this.embedder) return super.scores(query, indexes, bm25);
    const [q] = await this.embedder.embed([query]);
    const max = Math.max(0, ...bm25.values()) || 1;
    const scored = new Map<string, ChunkScore>();
    for (const index of indexes) {
      for (const chunk of index.chunks.values()) {
        const b = bm25.get(chunk.key) ?? 0;
        const similarity = chunk.vector && chunk.vectorModel === this.embedder.model ? cosine(q, chunk.vector) : undefined;
        const score = (1 - this.vectorWeight) * (b / max) + this.vectorWeight * Math.max(0, similarity ?? 0);
        if (score > 0) scored.set(chunk.key, { score, bm25: b, ...(similarity !== undefined ? { similarity } : {}) });
      }
    }
    return scored;
  }
}
