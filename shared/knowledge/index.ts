/**
 * The knowledge base: documents in namespaces, chunked, ranked with BM25 and
 * (when configured) blended with embedding similarity. The functions here use
 * the process-wide store on the `knowledge` table; pass a `KnowledgeStore` to
 * use another table (tests, the local runtime).
 */
import { openTable } from '../tables';
import { embedderFromEnv, vectorWeightFromEnv } from './embeddings-config';
import { KnowledgeStore, type KnowledgeHit, type RememberRequest, type SearchRequest, type WriteResult } from './store';

export { KnowledgeStore, type KnowledgeHit, type KnowledgeStoreOptions, type RememberRequest, type SearchRequest, type WriteResult } from './store';
export type { KnowledgeDocument, DocumentInput, DocumentSource, Provenance } from './document';
export { syncKnowledgeDirectory, syncSeedDocuments, readSeedDirectory, type SyncReport } from './seed-sync';
export type { Embedder } from './embeddings';
export { embedderFromEnv } from './embeddings-config';

let defaultStore: KnowledgeStore | undefined;

/** The process-wide store: the `knowledge` table, embeddings from AIOS_EMBEDDINGS (read on first use). */
export function knowledgeStore(): KnowledgeStore {
  defaultStore ??= new KnowledgeStore({ table: openTable('knowledge'), embedder: embedderFromEnv(), vectorWeight: vectorWeightFromEnv() });
  return defaultStore;
}

/** For tests and the local runtime, which change the environment at start. */
export function resetKnowledgeStore(): void {
  defaultStore = undefined;
}

/**
 * Ranked chunks with scores and document provenance.
 * @example await searchKnowledge({ query: 'how long do refunds take', namespaces: ['support'], limit: 3 })
 */
export function searchKnowledge(request: SearchRequest, store: KnowledgeStore = knowledgeStore()): Promise<KnowledgeHit[]> {
  return store.search(request);
}

/**
 * Stores what an agent learned, with the run, agent and time it came from.
 * @example await rememberKnowledge({ namespace: 'support', text: 'Order 1042 was re-shipped', provenance: { runId, agentId: 'triage', at } })
 */
export function rememberKnowledge(request: RememberRequest, store: KnowledgeStore = knowledgeStore()): Promise<WriteResult> {
  return store.remember(request);
}

/** A hit as the agent loop's `KnowledgeExcerpt` (shared/agents/knowledge-port.ts): source is `<namespace>/<docId>`. */
export function toExcerpt(hit: KnowledgeHit): { namespace: string; source: string; title: string; text: string; score: number } {
  return { namespace: hit.namespace, source: `${hit.namespace}/${hit.docId}`, title: hit.document.title, text: hit.text, score: hit.score };
}
