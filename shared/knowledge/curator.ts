/**
 * The knowledge base as a person curates it (the console's knowledge page):
 * BM25 search exactly as an agent's search ranks in a deployment without
 * embeddings, the namespaces, documents and versions, and retiring, with
 * none of the write path (no chunking, no document schema, no remember
 * request's checks, no embeddings provider). A console that may blend vectors
 * takes the whole KnowledgeStore instead.
 */
import { documentsOf, versionsOf, type DocumentVersion } from './catalog';
import type { KnowledgeDocument } from './document';
import { KnowledgeReader, type KnowledgeReaderOptions } from './reader';
import { retireDocument } from './version-finish';

export interface KnowledgeCuratorOptions extends KnowledgeReaderOptions {
  now?: () => Date;
}

export class KnowledgeCurator extends KnowledgeReader {
  private readonly now: () => Date;

  constructor(options: KnowledgeCuratorOptions) {
    super(options);
    this.now = options.now ?? (() => new Date());
  }

  /** Documents of a namespace in id order; retired ones only when asked. */
  listDocuments(namespace: string, options: { includeRetired?: boolean } = {}): Promise<KnowledgeDocument[]> {
    return documentsOf(this.table, namespace, options);
  }

  /** Every stored version of a document, oldest first. */
  listVersions(namespace: string, id: string): Promise<DocumentVersion[]> {
    return versionsOf(this.table, namespace, id);
  }

  /** Retires a document: kept for the record, never searched again. Returns false when it was not active. */
  retireDocument(namespace: string, id: string): Promise<boolean> {
    return retireDocument(this.table, namespace, id, this.now);
  }
}
