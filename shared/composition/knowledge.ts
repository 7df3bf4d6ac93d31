/**
 * The knowledge base of an environment: the `knowledge` table with the
 * AIOS_EMBEDDINGS* settings (Bedrock Runtime when embeddings are on). Apart
 * from tables.ts, so a function that only reads tables does not carry the
 * embedding clients. A function bundled for a deployment with no embeddings
 * model takes the half it uses without any provider instead
 * (knowledge-reader.ts, knowledge-writer.ts, knowledge-curator.ts).
 */
import { knowledgeStore as storeOnTable, type KnowledgeStore } from '../knowledge';
import type { AiosEnvironment } from './environment';

export function knowledgeStore(env: AiosEnvironment): KnowledgeStore {
  return storeOnTable(env.vars);
}
