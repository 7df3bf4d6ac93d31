/**
 * The knowledge store on the `Table` port (the `knowledge` table).
 *
 * Layout, per namespace partition `pk = ns#<namespace>`:
 *
 * | sk | item |
 * |---|---|
 * | `doc#<id>` | the document's current state, including its body |
 * | `ver#<id>#<version:6>` | a copy of each version (history; never read by search) |
 * | `chunk#<id>#<version:6>#<hash:8>#<index:4>` | the chunks of the current version (+ vector) |
 * | `log#<seq:12>` | change log: "document <id> changed", one entry per write |
 *
 * and `pk = namespaces`, `sk = <namespace>` lists the namespaces.
 *
 * Writes (no transactions; conditional writes only): chunks of the new version
 * are written first under a key that includes the content hash, then the
 * document item flips to the new version with a condition on the version it
 * was read at (a concurrent writer gets `Knowledge.Conflict`, never a mix).
 * Then "finish": copy to `ver#`, append to the change log (the next sequence
 * number taken with `itemExists: false`, retried on collision), delete chunks
 * of other versions, and mark the document `logged`. A crash before `logged`
 * is repaired by the next write or sync of that document.
 *
 * Search reads no chunks when nothing changed: each namespace has a cached
 * in-memory index (BM25 postings and vectors) tagged with the last change-log
 * sequence it applied. A search costs one Query of the change log per
 * namespace (`log#` after that sequence, usually empty); new entries name the
 * documents to re-read (one Get and one chunk Query each). The first search
 * of a namespace in a process loads its documents and chunks once.
 *
 * Limits: a namespace must fit in memory (about 2× its text, plus 2 KB per
 * chunk vector), so this suits thousands of documents per namespace, not
 * millions; a cold start (a new Lambda container) pays one full namespace
 * read; the change log grows by one small item per write and is not
 * compacted; indexes of different processes converge on their next search.
 *
 * Longer than our ~400-line guide on purpose: the write protocol above (chunks,
 * flip, finish, repair) and the index kept in step with its change log are one
 * invariant; split across files, each half would be unsafe to change alone.
 */
import { createHash } from 'node:crypto';
import * as z from '../mini-zod';
import { ConditionFailedError, queryAll, type Item, type Table } from '../storage/table';
import { bm25Scores } from './bm25';
import { chunkMarkdown, type ChunkOptions } from './chunking';
import { contentHash, documentInputSchema, DOC_ID_PATTERN, provenanceSchema, type DocumentInput, type KnowledgeDocument, type Provenance } from './document';
import { DEFAULT_VECTOR_WEIGHT } from './embeddings-config';
import { cosine, encodeVector, type Embedder } from './embeddings';
import { DocumentConflictError, InvalidDocumentError, InvalidSearchError } from './errors';
import { NAMESPACE_PATTERN } from './front-matter';
import { NamespaceIndex, type ChunkRecord } from './namespace-index';
import { tokenize } from './tokenize';

const NAMESPACES_PK = 'namespaces';
const LOG_MAX = 'log#999999999999';
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const nsPk = (namespace: string) => `ns#${namespace}`;
const docSk = (id: string) => `doc#${id}`;
const verSk = (id: string, version: number) => `ver#${id}#${pad(version, 6)}`;
const chunkPrefix = (id: string) => `chunk#${id}#`;
const chunkVersionPrefix = (doc: Pick<KnowledgeDocument, 'id' | 'version' | 'contentHash'>) =>
  `chunk#${doc.id}#${pad(doc.version, 6)}#${doc.contentHash.slice(0, 8)}#`;
const logSk = (seq: number) => `log#${pad(seq, 12)}`;
const loggedMark = (doc: KnowledgeDocument) => `${doc.version}:${doc.status}`;

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

export const searchRequestSchema = z.strictObject({
  query: z.string().check(z.trim(), z.minLength(1, 'query must not be empty'), z.maxLength(2000)),
  /** Namespaces to search; all when absent or empty. */
  namespaces: z.optional(z.array(z.string().check(z.regex(NAMESPACE_PATTERN, 'lower-case letters, digits and dashes')))),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(50)), 5),
});

export type SearchRequest = z.input<typeof searchRequestSchema>;

export const rememberRequestSchema = z.strictObject({
  namespace: z.string().check(z.regex(NAMESPACE_PATTERN, 'lower-case letters, digits and dashes')),
  text: z.string().check(z.trim(), z.minLength(1, 'text must not be empty'), z.maxLength(20_000)),
  title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(300))),
  tags: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(60))).check(z.maxLength(30))),
  provenance: provenanceSchema,
});

export type RememberRequest = z.input<typeof rememberRequestSchema>;

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

export interface WriteResult {
  outcome: WriteOutcome;
  document: KnowledgeDocument;
}

export interface DocumentVersion {
  version: number;
  title: string;
  contentHash: string;
  body: string;
  at: string;
}

export interface KnowledgeStoreOptions {
  table: Table;
  /** Blends vector similarity into ranking when given; BM25 only when null. */
  embedder?: Embedder | null;
  /** Share of vector similarity in the blended score (0–1). */
  vectorWeight?: number;
  chunking?: ChunkOptions;
  /** A namespace index younger than this skips the change-log check (default 0: always check). */
  maxStalenessMs?: number;
  now?: () => Date;
}

function invalid<T>(schema: z.ZodMiniType<T>, value: unknown, make: (msg: string) => Error): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw make(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
}

function toDocument(item: Item): KnowledgeDocument {
  const { pk: _pk, sk: _sk, kind: _kind, body: _body, logged: _logged, ...doc } = item as Item & Record<string, unknown>;
  return doc as unknown as KnowledgeDocument;
}

export class KnowledgeStore {
  private readonly table: Table;
  private readonly embedder: Embedder | null;
  private readonly vectorWeight: number;
  private readonly indexes = new Map<string, NamespaceIndex>();
  private readonly loading = new Map<string, Promise<NamespaceIndex>>();
  private readonly now: () => Date;

  constructor(private readonly options: KnowledgeStoreOptions) {
    this.table = options.table;
    this.embedder = options.embedder ?? null;
    this.vectorWeight = options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Stores a document: a new version when its content changed (or when its
   * vectors came from another embedding model), nothing when it did not.
   * A retired document that comes back is reactivated as a new version.
   * @throws DocumentConflictError when another writer changed it meanwhile.
   */
  async putDocument(input: DocumentInput): Promise<WriteResult> {
    const data = invalid(documentInputSchema, input, (m) => new InvalidDocumentError(`invalid document: ${m}`, { namespace: input.namespace, id: input.id }));
    const pk = nsPk(data.namespace);
    const existingItem = await this.table.get({ pk, sk: docSk(data.id) });
    const existing = existingItem ? toDocument(existingItem) : undefined;
    const hash = contentHash(data);
    const vectorModel = this.embedder?.model;
    if (existing && existing.status === 'active' && existing.contentHash === hash && (vectorModel === undefined || existing.vectorModel === vectorModel)) {
      if (existingItem?.logged !== loggedMark(existing)) await this.finish(existing, String(existingItem?.body ?? ''));
      return { outcome: 'unchanged', document: existing };
    }
    const at = this.now().toISOString();
    const chunks = chunkMarkdown(data.body, this.options.chunking);
    const vectors = this.embedder ? await this.embedder.embed(chunks.map((c) => `${data.title}\n\n${c.text}`)) : undefined;
    const doc: KnowledgeDocument = {
      namespace: data.namespace,
      id: data.id,
      title: data.title,
      tags: data.tags,
      metadata: data.metadata ?? {},
      source: data.source,
      version: (existing?.version ?? 0) + 1,
      status: 'active',
      contentHash: hash,
      chunkCount: chunks.length,
      ...(vectorModel ? { vectorModel } : {}),
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    const prefix = chunkVersionPrefix(doc);
    for (const c of chunks) {
      const record: ChunkRecord = {
        namespace: doc.namespace,
        docId: doc.id,
        version: doc.version,
        index: c.index,
        heading: c.heading,
        text: c.text,
        ...(vectors && vectorModel ? { vector: encodeVector(vectors[c.index]), vectorModel } : {}),
      };
      await this.table.put({ pk, sk: `${prefix}${pad(c.index, 4)}`, kind: 'chunk', ...record });
    }
    try {
      await this.table.put(
        { pk, sk: docSk(doc.id), kind: 'doc', ...doc, body: data.body },
        existing ? { all: [{ field: 'version', op: 'eq', value: existing.version }] } : { itemExists: false },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new DocumentConflictError(doc.namespace, doc.id, existing?.version ?? 0);
      throw error;
    }
    await this.finish(doc, data.body);
    return { outcome: existing ? 'updated' : 'created', document: doc };
  }

  /** Retires a document: kept for the record, never searched again. Returns false when it was not active. */
  async retireDocument(namespace: string, id: string): Promise<boolean> {
    const item = await this.table.get({ pk: nsPk(namespace), sk: docSk(id) });
    if (!item) return false;
    const current = toDocument(item);
    if (current.status !== 'active') {
      if (item.logged !== loggedMark(current)) await this.finish(current, String(item.body ?? ''));
      return false;
    }
    const retired: KnowledgeDocument = { ...current, status: 'retired', updatedAt: this.now().toISOString() };
    try {
      await this.table.update(
        { pk: item.pk, sk: item.sk },
        { set: { status: 'retired', updatedAt: retired.updatedAt }, remove: ['logged'] },
        {
          all: [
            { field: 'version', op: 'eq', value: current.version },
            { field: 'status', op: 'eq', value: 'active' },
          ],
        },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new DocumentConflictError(namespace, id, current.version);
      throw error;
    }
    await this.finish(retired, String(item.body ?? ''));
    return true;
  }

  /**
   * Stores what an agent learned, with its provenance. The id derives from the
   * text, so remembering the same text twice stores it once.
   */
  async remember(request: RememberRequest): Promise<WriteResult> {
    const r = invalid(rememberRequestSchema, request, (m) => new InvalidDocumentError(`invalid remember request: ${m}`));
    const id = `mem-${createHash('sha256').update(r.text).digest('hex').slice(0, 16)}`;
    const firstLine = r.text.split('\n')[0].trim();
    const title = r.title ?? (firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine);
    return this.putDocument({
      namespace: r.namespace,
      id,
      title,
      tags: r.tags ?? ['remembered'],
      body: r.text,
      source: { kind: 'remembered', ...(r.provenance as Provenance) },
    });
  }

  async getDocument(namespace: string, id: string): Promise<KnowledgeDocument | undefined> {
    const item = await this.table.get({ pk: nsPk(namespace), sk: docSk(id) });
    return item ? toDocument(item) : undefined;
  }

  /** Documents of a namespace in id order; retired ones only when asked. */
  async listDocuments(namespace: string, options: { includeRetired?: boolean } = {}): Promise<KnowledgeDocument[]> {
    const items = await queryAll(this.table, nsPk(namespace), { skPrefix: 'doc#' });
    return items.map(toDocument).filter((d) => options.includeRetired || d.status === 'active');
  }

  /** Every stored version of a document, oldest first. */
  async listVersions(namespace: string, id: string): Promise<DocumentVersion[]> {
    const items = await queryAll(this.table, nsPk(namespace), { skPrefix: `ver#${id}#` });
    return items.map((i) => ({
      version: i.version as number,
      title: i.title as string,
      contentHash: i.contentHash as string,
      body: i.body as string,
      at: i.at as string,
    }));
  }

  async listNamespaces(): Promise<string[]> {
    return (await queryAll(this.table, NAMESPACES_PK)).map((i) => i.sk);
  }

  /**
   * Ranked chunks for a query, best first; ties broken by namespace, document
   * id and chunk position so equal input gives equal output.
   * @example await store.search({ query: 'refund for a damaged bag', namespaces: ['support'], limit: 3 })
   */
  async search(request: SearchRequest): Promise<KnowledgeHit[]> {
    const r = invalid(searchRequestSchema, request, (m) => new InvalidSearchError(`invalid search: ${m}`));
    const namespaces = r.namespaces && r.namespaces.length > 0 ? [...new Set(r.namespaces)].sort() : await this.listNamespaces();
    const indexes = await Promise.all(namespaces.map((ns) => this.index(ns)));
    const bm25 = bm25Scores(
      tokenize(r.query),
      indexes.map((i) => i.bm25),
    );
    const scored = new Map<string, { score: number; bm25: number; similarity?: number }>();
    if (this.embedder) {
      const [q] = await this.embedder.embed([r.query]);
      const max = Math.max(0, ...bm25.values()) || 1;
      for (const index of indexes) {
        for (const chunk of index.chunks.values()) {
          const b = bm25.get(chunk.key) ?? 0;
          const similarity = chunk.vector && chunk.vectorModel === this.embedder.model ? cosine(q, chunk.vector) : undefined;
          const score = (1 - this.vectorWeight) * (b / max) + this.vectorWeight * Math.max(0, similarity ?? 0);
          if (score > 0) scored.set(chunk.key, { score, bm25: b, ...(similarity !== undefined ? { similarity } : {}) });
        }
      }
    } else {
      for (const [key, b] of bm25) scored.set(key, { score: b, bm25: b });
    }
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

  /** Forgets cached indexes (tests; a process that wants a cold read). */
  dropCache(): void {
    this.indexes.clear();
  }

  /** Post-flip steps; idempotent, so a crash between them is repaired by running them again. */
  private async finish(doc: KnowledgeDocument, body: string): Promise<void> {
    const pk = nsPk(doc.namespace);
    if (doc.status === 'active') {
      await this.table.put({
        pk,
        sk: verSk(doc.id, doc.version),
        kind: 'version',
        version: doc.version,
        title: doc.title,
        contentHash: doc.contentHash,
        body,
        at: doc.updatedAt,
      });
    }
    try {
      await this.table.put({ pk: NAMESPACES_PK, sk: doc.namespace, kind: 'namespace', createdAt: doc.updatedAt }, { itemExists: false });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    await this.appendLog(doc.namespace, doc.id);
    // Older versions and same-version orphans of a writer that lost the flip go; chunks of a
    // newer version belong to a writer still in progress and stay.
    const keep = doc.status === 'active' ? chunkVersionPrefix(doc) : undefined;
    for (const c of await queryAll(this.table, pk, { skPrefix: chunkPrefix(doc.id) })) {
      const stale = (c.version as number) < doc.version || ((c.version as number) === doc.version && (keep === undefined || !c.sk.startsWith(keep)));
      if (stale) await this.table.delete({ pk, sk: c.sk });
    }
    try {
      await this.table.update(
        { pk, sk: docSk(doc.id) },
        { set: { logged: loggedMark(doc) } },
        {
          all: [
            { field: 'version', op: 'eq', value: doc.version },
            { field: 'status', op: 'eq', value: doc.status },
          ],
        },
      );
    } catch (error) {
      // A newer write took over; it finishes itself.
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }

  /** Takes the next change-log sequence of a namespace with a conditional put. */
  private async appendLog(namespace: string, docId: string): Promise<number> {
    const pk = nsPk(namespace);
    for (let attempt = 0; attempt < 50; attempt++) {
      const last = (await this.table.query(pk, { skPrefix: 'log#', reverse: true, limit: 1 })).items[0];
      const seq = ((last?.seq as number | undefined) ?? 0) + 1;
      try {
        await this.table.put({ pk, sk: logSk(seq), kind: 'log', seq, docId, at: this.now().toISOString() }, { itemExists: false });
        return seq;
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new DocumentConflictError(namespace, docId, -1);
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
    if (now - cached.checkedAt < (this.options.maxStalenessMs ?? 0)) return cached;
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
    const last = (await this.table.query(pk, { skPrefix: 'log#', reverse: true, limit: 1 })).items[0];
    index.seq = (last?.seq as number | undefined) ?? 0;
    index.checkedAt = Date.now();
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
