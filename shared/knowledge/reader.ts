/**
 * The read side of the knowledge base: ranked search over the `knowledge`
 * table (layout.ts), with no write code, so a function that only searches
 * (the `knowledge.search` tool, the agent step) carries only this.
 *
 * Search reads no chunks when nothing changed: each namespace has a cached
 * in-memory index (BM25 postings and vectors) tagged with the last change-log
 * sequence it applied. A search costs one Query of the change log per
 * namespace (`log#` after that sequence, usually empty); new entries name the
 * documents to re-read (one Get and one chunk Query each). The first search
 * of a namespace in a process loads its documents and chunks once. Writes
 * from any process (another Lambda, `aios knowledge sync`, this process) are
 * seen by the next search, because every write appends to the change log
 * before it is done (writer.ts).
 *
 * Limits: a namespace must fit in memory (about 2× its text, plus 2 KB per
 * chunk vector), so this suits thousands of documents per namespace, not
 * millions; a cold start (a new Lambda container) pays one full namespace
 * read; indexes of different processes converge on their next search.
 */
import * as z from '../mini-zod';
import { queryAll } from '../storage/table';
import type { Table } from '../storage/table';
import { bm25Scores } from './bm25';
import { KnowledgeCatalog, validated } from './catalog';
import type { KnowledgeDocument } from './document';
import { InvalidSearchError } from './errors';
import { chunkVersionPrefix, DOC_ID_PATTERN, LOG_MAX, LOG_PREFIX, logSk, NAMESPACE_PATTERN, nsPk, toDocument } from './layout';
import { NamespaceIndex, type ChunkRecord } from './namespace-index';
import { tokenize } from './tokenize';

/** One ranked chunk with its document's provenance. */
export interface KnowledgeHit {
  /** The blended score when embeddings are on, else the BM25 score. Higher is better. */
  score: number;
  bm25: number;
  /** Cosine similarity to the query; present only when embeddings are on and the chunk has a vector. */
  similarity?: number;
  namespace: string;
  docId: string;
  version: number;
  chunkIndex: number;
  heading: string;
  text: string;
  document: Pick<KnowledgeDocument, 'title' | 'tags' | 'source' | 'version' | 'updatedAt'>;
}

/* @__NO_SIDE_EFFECTS__ */
const searchRequest = () =>
  z.strictObject({
    query: z.string().check(z.trim(), z.minLength(1, 'query must not be empty'), z.maxLength(2000)),
    /** Namespaces to search; all when absent or empty. */
    namespaces: z.optional(z.array(z.string().check(z.regex(NAMESPACE_PATTERN, 'lower-case letters, digits and dashes')))),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(50)), 5),
  });

// Built on the first search, not while a function that may search loads.
let searchRequestSchema: ReturnType<typeof searchRequest> | undefined;

export type SearchRequest = z.input<ReturnType<typeof searchRequest>>;

export interface KnowledgeReaderOptions {
  table: Table;
  /** A namespace index younger than this skips the change-log check (default 0: always check). */
  maxStalenessMs?: number;
}

/** A chunk's score as a search ranks it: BM25 alone, or blended with vector similarity (blending-reader.ts). */
export interface ChunkScore {
  score: number;
  bm25: number;
  similarity?: number;
}

/** A hit as the agent loop's `KnowledgeExcerpt` (shared/agents/knowledge-port.ts): source is `<namespace>/<docId>`. */
export function toExcerpt(hit: KnowledgeHit): { namespace: string; source: string; title: string; text: string; score: number } {
  return { namespace: hit.namespace, source: `${hit.namespace}/${hit.docId}`, title: hit.document.title, text: hit.text, score: hit.score };
}

/** BM25 search (a deployment without embeddings needs no more: its bundles carry no vector code); BlendingReader adds vectors. */
export class KnowledgeReader extends KnowledgeCatalog {
  private readonly maxStalenessMs: number;
  private readonly indexes = new Map<string, NamespaceIndex>();
  private readonly loading = new Map<string, Promise<NamespaceIndex>>();

  constructor(options: KnowledgeReaderOptions) {
    super(options.table);
    this.maxStalenessMs = options.maxStalenessMs ?? 0;
  }

  /**
   * Ranked chunks for a query, best first; ties broken by namespace, document
   * id and chunk position so equal input gives equal output.
   * @example await reader.search({ query: 'refund for a damaged bag', namespaces: ['support'], limit: 3 })
   */
  async search(request: SearchRequest): Promise<KnowledgeHit[]> {
    const r = validated((searchRequestSchema ??= searchRequest()), request, (m) => new InvalidSearchError(`invalid search: ${m}`));
    const namespaces = r.namespaces && r.namespaces.length > 0 ? [...new Set(r.namespaces)].sort() : await this.listNamespaces();
    const indexes = await Promise.all(namespaces.map((ns) => this.index(ns)));
    const bm25 = bm25Scores(
      tokenize(r.query),
      indexes.map((i) => i.bm25),
    );
    const scored = await this.scores(r.query, indexes, bm25);
    return [...scored.entries()]
      .sort(([ka, a], [kb, b]) => b.score - a.score || (ka < kb ? -1 : ka > kb ? 1 : 0))
      .slice(0, r.limit)
      .map(([key, s]) => {
        const index = indexes.find((i) => i.chunks.has(key))!;
        const chunk = index.chunks.get(key)!;
        const doc = index.document(chunk.docId)!;
        return {
          ...s,
          namespace: chunk.namespace,
          docId: chunk.docId,
          version: chunk.version,
          chunkIndex: chunk.index,
          heading: chunk.heading,
          text: chunk.text,
          document: { title: doc.title, tags: doc.tags, source: doc.source, version: doc.version, updatedAt: doc.updatedAt },
        };
      });
  }

  /** Each matching chunk's score, by chunk key: its BM25 score here. */
  protected async scores(_query: string, _indexes: readonly NamespaceIndex[], bm25: ReadonlyMap<string, number>): Promise<Map<string, ChunkScore>> {
    return new Map([...bm25].map(([key, b]) => [key, { score: b, bm25: b }]));
  }

  /** Forgets cached indexes (tests; a process that wants a cold read). */
  dropCache(): void {
    this.indexes.clear();
  }

  /** The namespace's index, brought up to date with its change log. */
  private async index(namespace: string): Promise<NamespaceIndex> {
    const cached = this.indexes.get(namespace);
    if (!cached) {
      // One load per namespace even when several searches start at once.
      let loading = this.loading.get(namespace);
      if (!loading) {
        loading = this.load(namespace).finally(() => this.loading.delete(namespace));
        this.loading.set(namespace, loading);
      }
      return loading;
    }
    const now = Date.now();
    if (now - cached.checkedAt < this.maxStalenessMs) return cached;
    const entries = await queryAll(this.table, nsPk(namespace), { skFrom: logSk(cached.seq + 1), skTo: LOG_MAX });
    cached.checkedAt = now;
    if (entries.length === 0) return cached;
    if (entries.length > 200) {
      this.indexes.delete(namespace);
      return this.index(namespace);
    }
    for (const id of [...new Set(entries.map((e) => e.docId as string))].sort()) await this.reloadDocument(cached, id);
    cached.seq = Math.max(...entries.map((e) => e.seq as number));
    return cached;
  }

  private async load(namespace: string): Promise<NamespaceIndex> {
    const pk = nsPk(namespace);
    const index = new NamespaceIndex(namespace);
    // The sequence is read before the documents: a write landing in between is applied again later, harmlessly.
    const last = (await this.table.query(pk, { skPrefix: LOG_PREFIX, reverse: true, limit: 1 })).items[0];
    index.seq = (last?.seq as number | undefined) ?? 0;
    index.checkedAt = Date.now();
    // Documents before chunks: a chunk read that misses a newer version's chunks is repaired by that version's log entry.
    const docs = (await queryAll(this.table, pk, { skPrefix: 'doc#' })).map(toDocument).filter((d) => d.status === 'active');
    const chunks = await queryAll(this.table, pk, { skPrefix: 'chunk#' });
    const byDoc = new Map<string, ChunkRecord[]>();
    const current = new Map(docs.map((d) => [d.id, chunkVersionPrefix(d)]));
    for (const c of chunks) {
      const id = c.docId as string;
      if (!current.has(id) || !c.sk.startsWith(current.get(id)!)) continue;
      byDoc.set(id, [...(byDoc.get(id) ?? []), c as unknown as ChunkRecord]);
    }
    for (const d of docs) index.setDocument(d, byDoc.get(d.id) ?? []);
    this.indexes.set(namespace, index);
    return index;
  }

  private async reloadDocument(index: NamespaceIndex, id: string): Promise<void> {
    if (!DOC_ID_PATTERN.test(id)) return;
    const doc = await this.getDocument(index.namespace, id);
    if (!doc || doc.status !== 'active') {
      index.removeDocument(id);
      return;
    }
    if (index.document(id)?.version === doc.version && index.document(id)?.contentHash === doc.contentHash) return;
    const chunks = await queryAll(this.table, nsPk(index.namespace), { skPrefix: chunkVersionPrefix(doc) });
    index.setDocument(doc, chunks as unknown as ChunkRecord[]);
  }
}
