/** Typed errors of the knowledge base. */
import { AiosError } from '../errors';

/** A seed document or a remembered text that cannot be stored as given. */
export class InvalidDocumentError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Knowledge.InvalidDocument', message, details);
  }
}

/** A search request that does not validate (empty query, bad namespace, bad limit). */
export class InvalidSearchError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Knowledge.InvalidSearch', message, details);
  }
}

/** Another writer changed the same document between our read and our conditional write. */
export class DocumentConflictError extends AiosError {
  constructor(namespace: string, docId: string, expectedVersion: number) {
    super('Knowledge.Conflict', `document ${namespace}/${docId} changed while writing (expected version ${expectedVersion}); retry`, {
      namespace,
      docId,
      expectedVersion,
    });
  }
}

/** The embeddings provider failed or is misconfigured. */
export class EmbeddingsError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super('Knowledge.Embeddings', message, details, cause === undefined ? undefined : { cause });
  }
}

/** The knowledge table cannot be reached (local runtime not started, table missing). */
export class KnowledgeUnavailableError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super('Knowledge.Unavailable', message, details, cause === undefined ? undefined : { cause });
  }
}
