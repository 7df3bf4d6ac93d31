/**
 * The write path of the knowledge base: documents, their chunks and the
 * change log in the `knowledge` table (layout.ts), with no search index.
 * It stores documents already known valid: KnowledgeWriter (writer.ts) checks
 * a document against its schema first, and `remember` builds one from a
 * checked request that is valid by construction (rememberedDocument). A
 * function that only remembers (`knowledge.remember`) takes this class alone,
 * so its bundle carries no document schema (its union and record cost about
 * 4.8 KiB of zod).
 *
 * Writes (no transactions; conditional writes only): chunks of the new version
 * are written first under a key that includes the content hash, then the
 * document item flips to the new version with a condition on the version it
 * was read at (a concurrent writer gets `Knowledge.Conflict`, never a mix).
 * Then "finish" (version-finish.ts): copy to `ver#`, append to the change log (the next sequence
 * number taken with `itemExists: false`, retried on collision), delete chunks
 * of other versions, and mark the document `logged`. A crash before `logged`
 * is repaired by the next write or sync of that document.
 *
 * Readers (reader.ts) depend on this order: a change-log entry is written only
 * after the document flipped and its chunks exist, so a reader that applies
 * the entry finds the version it names. The change log grows by one small
 * item per write and is not compacted.
 */
import { createHash } from 'node:crypto';
import * as z from '../mini-zod';
import { ConditionFailedError, type Table } from '../storage/table';
import { KnowledgeCatalog, validated } from './catalog';
import { chunkMarkdown, type ChunkOptions } from './chunking';
import { contentHash, provenanceSchema, type DocumentInput, type KnowledgeDocument, type Provenance } from './document';
import { encodeVector, type Embedder } from './embeddings';
import { DocumentConflictError, InvalidDocumentError } from './errors';
import { chunkSk, chunkVersionPrefix, docSk, loggedMark, NAMESPACE_PATTERN, nsPk, toDocument } from './layout';
import type { ChunkRecord } from './namespace-index';
import { finishVersion } from './version-finish';

/** Built on the first remember request, not while the Lambda loads. */
export const rememberRequestSchema = /* @__PURE__ */ z.builtOnFirstUse(() =>
  z.strictObject({
    namespace: z.string().check(z.regex(NAMESPACE_PATTERN, 'lower-case letters, digits and dashes')),
    text: z.string().check(z.trim(), z.minLength(1, 'text must not be empty'), z.maxLength(20_000)),
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(300))),
    tags: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(60))).check(z.maxLength(30))),
    provenance: provenanceSchema(),
  }),
);

export type RememberRequest = z.input<ReturnType<typeof rememberRequestSchema>>;

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

export interface WriteResult {
  outcome: WriteOutcome;
  document: KnowledgeDocument;
}

export interface KnowledgeWriterOptions {
  table: Table;
  /** Stores a vector with each chunk when given (and re-embeds documents stored with another model). */
  embedder?: Embedder | null;
  chunking?: ChunkOptions;
  now?: () => Date;
}

/**
 * The document a checked remember request stores. Its id derives from the text, so remembering the same
 * text twice stores it once. Every field meets the document schema by construction (the request's checks
 * are the same or stricter; test/unit/knowledge/remembered-document.test.ts holds them to it).
 */
export function rememberedDocument(r: z.output<ReturnType<typeof rememberRequestSchema>>): DocumentInput {
  const id = `mem-${createHash('sha256').update(r.text).digest('hex').slice(0, 16)}`;
  const firstLine = r.text.split('\n')[0].trim();
  const title = r.title ?? (firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine);
  return {
    namespace: r.namespace,
    id,
    title,
    tags: r.tags ?? ['remembered'],
    body: r.text,
    source: { kind: 'remembered', ...(r.provenance as Provenance) },
  };
}

export class VersionWriter extends KnowledgeCatalog {
  private readonly embedder: Embedder | null;
  private readonly chunking: ChunkOptions | undefined;
  protected readonly now: () => Date;

  constructor(options: KnowledgeWriterOptions) {
    super(options.table);
    this.embedder = options.embedder ?? null;
    this.chunking = options.chunking;
    this.now = options.now ?? (() => new Date());
  }

  /** Stores what an agent learned, with its provenance. */
  async remember(request: RememberRequest): Promise<WriteResult> {
    const r = validated(rememberRequestSchema(), request, (m) => new InvalidDocumentError(`invalid remember request: ${m}`));
    return this.writeVersion(rememberedDocument(r));
  }

  /**
   * Stores a document already known valid: a new version when its content changed (or when its vectors came
   * from another embedding model), nothing when it did not. A retired document that comes back is reactivated.
   * @throws DocumentConflictError when another writer changed it meanwhile.
   */
  protected async writeVersion(data: DocumentInput): Promise<WriteResult> {
    const pk = nsPk(data.namespace);
    const existingItem = await this.table.get({ pk, sk: docSk(data.id) });
    const existing = existingItem ? toDocument(existingItem) : undefined;
    const hash = contentHash(data);
    const vectorModel = this.embedder?.model;
    if (existing && existing.status === 'active' && existing.contentHash === hash && (vectorModel === undefined || existing.vectorModel === vectorModel)) {
      if (existingItem?.logged !== loggedMark(existing)) await finishVersion(this.table, existing, String(existingItem?.body ?? ''), this.now);
      return { outcome: 'unchanged', document: existing };
    }
    const at = this.now().toISOString();
    const chunks = chunkMarkdown(data.body, this.chunking);
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
      await this.table.put({ pk, sk: chunkSk(prefix, c.index), kind: 'chunk', ...record });
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
    await finishVersion(this.table, doc, data.body, this.now);
    return { outcome: existing ? 'updated' : 'created', document: doc };
  }
}
