/**
 * The knowledge base: documents in namespaces, chunked, ranked with BM25 and
 * (when configured) blended with embedding similarity. The functions here use
 * the process-wide store on the `knowledge` table; pass a `KnowledgeStore` to
 * use another table (tests, the local runtime).
 */
import { openTable } from '../tables';
import { ALL_EMBEDDERS, embedderOf, embeddingsSettings, vectorWeightFromEnv, type EmbedderMakers } from './embeddings-config';
import { KnowledgeStore, type KnowledgeHit, type RememberRequest, type SearchRequest, type WriteResult } from './store';

export { KnowledgeStore, type KnowledgeHit, type KnowledgeStoreOptions, type RememberRequest, type SearchRequest, type WriteResult } from './store';
export { KnowledgeReader, toExcerpt, type KnowledgeReaderOptions } from './reader';
export { BlendingReader, type BlendingReaderOptions } from './blending-reader';
export { KnowledgeWriter, type KnowledgeWriterOptions } from './writer';
export type { KnowledgeDocument, DocumentInput, DocumentSource, Provenance } from './document';
export { syncKnowledgeDirectory, syncSeedDocuments, readSeedDirectory, type SeedSyncTarget, type SyncReport } from './seed-sync';
export type { Embedder } from './embeddings';
export { embedderFromEnv } from './embeddings-config';

const stores = new WeakMap<object, WeakMap<EmbedderMakers, Map<string, KnowledgeStore>>>();

/** The store on the `knowledge` table the environment names, with its AIOS_EMBEDDINGS* settings; one per table, providers and settings. */
export function knowledgeStore(env: NodeJS.ProcessEnv = process.env): KnowledgeStore {
  return knowledgeStoreWith(env, ALL_EMBEDDERS);
}

/** `knowledgeStore` with only the embeddings providers `makers` can make (a function built without the Bedrock client passes none). */
export function knowledgeStoreWith(env: NodeJS.ProcessEnv, makers: EmbedderMakers): KnowledgeStore {
  const table = openTable('knowledge', env);
  const settings = embeddingsSettings(env);
  let byMakers = stores.get(table);
  if (!byMakers) stores.set(table, (byMakers = new WeakMap()));
  let bySettings = byMakers.get(makers);
  if (!bySettings) byMakers.set(makers, (bySettings = new Map()));
  let store = bySettings.get(settings);
  if (!store) bySettings.set(settings, (store = new KnowledgeStore({ table, embedder: embedderOf(env, makers), vectorWeight: vectorWeightFromEnv(env) })));
  return store;
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
