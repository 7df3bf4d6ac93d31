/**
 * The knowledge base of an environment: the `knowledge` table with the
 * AIOS_EMBEDDINGS* settings (Bedrock Runtime when embeddings are on). Apart
 * from tables.ts, so a function that only reads tables does not carry the
 * embedding clients; `knowledgeStoreWithoutBedrock` for a function bundled
 * for a deployment with no embeddings model (its role may not call Bedrock),
 * so it does not carry the Bedrock client either.
 */
import { knowledgeStore as storeOnTable, knowledgeStoreWith, type KnowledgeStore } from '../knowledge';
import type { EmbedderMakers } from '../knowledge/embeddings-config';
import type { AiosEnvironment } from './environment';

export function knowledgeStore(env: AiosEnvironment): KnowledgeStore {
  return storeOnTable(env.vars);
}

/** No Bedrock embedder: AIOS_EMBEDDINGS=bedrock is an error here (OpenAI-compatible embeddings need no SDK client and still work). */
const WITHOUT_BEDROCK: EmbedderMakers = {};

export function knowledgeStoreWithoutBedrock(env: AiosEnvironment): KnowledgeStore {
  return knowledgeStoreWith(env.vars, WITHOUT_BEDROCK);
}
