/**
 * The knowledge base of a deployment built without embeddings (settled at
 * synth: no `embeddingsModel`): BM25 ranking on the `knowledge` table, and
 * no embeddings provider, so the Bedrock Runtime client (about 36 KiB) is not
 * in the knowledge functions' bundles. knowledge.ts is the factory with
 * embeddings; knowledge-reader.ts and knowledge-writer.ts give a function
 * that only searches or only writes just that half.
 */
import { EmbeddingsError } from '../knowledge/errors';
import { KnowledgeStore } from '../knowledge/store';
import { openTable } from '../tables';
import type { AiosEnvironment } from './environment';
import { onePerTable } from './knowledge-instances';

/** @throws EmbeddingsError when the environment turns embeddings on: this function was built without them. */
export function refuseEmbeddings(env: AiosEnvironment): void {
  const mode = (env.vars.AIOS_EMBEDDINGS ?? 'off').trim().toLowerCase();
  if (mode !== '' && mode !== 'off')
    throw new EmbeddingsError(
      `AIOS_EMBEDDINGS is "${env.vars.AIOS_EMBEDDINGS}" but this function was built without embeddings; deploy again with the embeddings setting so its bundle carries the provider`,
      { value: env.vars.AIOS_EMBEDDINGS },
    );
}

const stores = new WeakMap<object, Map<string, KnowledgeStore>>();

/** @throws EmbeddingsError when the environment turns embeddings on: this function was built without them. */
export function knowledgeStoreWithoutEmbeddings(env: AiosEnvironment): KnowledgeStore {
  refuseEmbeddings(env);
  return onePerTable(stores, openTable('knowledge', env.vars), '', (table) => new KnowledgeStore({ table, embedder: null }));
}
