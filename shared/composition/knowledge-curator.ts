/**
 * The console's knowledge base in a deployment built without embeddings
 * (settled at synth: no `embeddingsModel`): search, listings and retiring on
 * the `knowledge` table (shared/knowledge/curator.ts), none of the write path
 * and no embeddings provider, as the agent step searches there
 * (knowledge-reader.ts). knowledge.ts gives the whole store, with embeddings.
 */
import { KnowledgeCurator } from '../knowledge/curator';
import { openTable } from '../tables';
import type { AiosEnvironment } from './environment';
import { onePerTable } from './knowledge-instances';
import { refuseEmbeddings } from './knowledge-without-embeddings';

const curators = new WeakMap<object, Map<string, KnowledgeCurator>>();

/** @throws EmbeddingsError when the environment turns embeddings on: this function was built without them. */
export function knowledgeCuratorWithoutEmbeddings(env: AiosEnvironment): KnowledgeCurator {
  refuseEmbeddings(env);
  return onePerTable(curators, openTable('knowledge', env.vars), 'off', (table) => new KnowledgeCurator({ table }));
}
