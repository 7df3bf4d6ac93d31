/**
 * The whole knowledge base on one table: search (reader.ts) and writes
 * (writer.ts) together, for the processes that do both (the console, the
 * CLI, the local runtime's shared tool entry). A function that only searches
 * or only writes takes the reader or the writer alone and carries less code;
 * the table layout they agree on is in layout.ts.
 *
 * A write through this store is seen by its next search the way any other
 * process's write is: through the namespace's change log.
 */
import { versionsOf, type DocumentVersion } from './catalog';
import type { ChunkOptions } from './chunking';
import type { DocumentInput, KnowledgeDocument } from './document';
import type { Embedder } from './embeddings';
import { BlendingReader } from './blending-reader';
import type { Table } from '../storage/table';
import { KnowledgeWriter, type RememberRequest, type WriteResult } from './writer';

export type { DocumentVersion } from './catalog';
export type { KnowledgeHit, SearchRequest } from './reader';
export { rememberRequestSchema, type RememberRequest, type WriteOutcome, type WriteResult } from './writer';

export interface KnowledgeStoreOptions {
  table: Table;
  /** Blends vector similarity into ranking and stores chunk vectors when given; BM25 only when null. */
  embedder?: Embedder | null;
  /** Share of vector similarity in the blended score (0–1). */
  vectorWeight?: number;
  chunking?: ChunkOptions;
  /** A namespace index younger than this skips the change-log check (default 0: always check). */
  maxStalenessMs?: number;
  now?: () => Date;
}

export class KnowledgeStore extends BlendingReader {
  private readonly writer: KnowledgeWriter;

  constructor(options: KnowledgeStoreOptions) {
    super(options);
    this.writer = new KnowledgeWriter(options);
  }

  /** Documents of a namespace in id order; retired ones only when asked. */
  listDocuments(namespace: string, options: { includeRetired?: boolean } = {}): Promise<KnowledgeDocument[]> {
    return this.writer.listDocuments(namespace, options);
  }

  /** Every stored version of a document, oldest first. */
  listVersions(namespace: string, id: string): Promise<DocumentVersion[]> {
    return versionsOf(this.table, namespace, id);
  }

  /** See KnowledgeWriter.putDocument. @throws DocumentConflictError when another writer changed it meanwhile. */
  putDocument(input: DocumentInput): Promise<WriteResult> {
    return this.writer.putDocument(input);
  }

  /** Retires a document: kept for the record, never searched again. Returns false when it was not active. */
  retireDocument(namespace: string, id: string): Promise<boolean> {
    return this.writer.retireDocument(namespace, id);
  }

  /** Stores what an agent learned, with its provenance (see KnowledgeWriter.remember). */
  remember(request: RememberRequest): Promise<WriteResult> {
    return this.writer.remember(request);
  }
}
