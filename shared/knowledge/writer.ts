/**
 * The knowledge base's writer for the processes that manage documents (the
 * seed sync, the CLI, the console's store): `putDocument` checks a document
 * against its schema and stores it through the write path of
 * version-writer.ts, which also remembers; retiring and listing are here too.
 */
import { documentsOf, validated } from './catalog';
import { documentInputSchema, type DocumentInput, type KnowledgeDocument } from './document';
import { InvalidDocumentError } from './errors';
import { retireDocument } from './version-finish';
import { VersionWriter, type WriteResult } from './version-writer';

export { rememberRequestSchema, type KnowledgeWriterOptions, type RememberRequest, type WriteOutcome, type WriteResult } from './version-writer';

export class KnowledgeWriter extends VersionWriter {
  /** Documents of a namespace in id order; retired ones only when asked (a sync retires the seed documents it no longer has). */
  listDocuments(namespace: string, options: { includeRetired?: boolean } = {}): Promise<KnowledgeDocument[]> {
    return documentsOf(this.table, namespace, options);
  }

  /**
   * Stores a document: a new version when its content changed (or when its
   * vectors came from another embedding model), nothing when it did not.
   * A retired document that comes back is reactivated as a new version.
   * @throws DocumentConflictError when another writer changed it meanwhile.
   */
  async putDocument(input: DocumentInput): Promise<WriteResult> {
    const data = validated(
      documentInputSchema(),
      input,
      (m) => new InvalidDocumentError(`invalid document: ${m}`, { namespace: input.namespace, id: input.id }),
    );
    return this.writeVersion(data);
  }

  /** Retires a document: kept for the record, never searched again. Returns false when it was not active. */
  retireDocument(namespace: string, id: string): Promise<boolean> {
    return retireDocument(this.table, namespace, id, this.now);
  }
}
