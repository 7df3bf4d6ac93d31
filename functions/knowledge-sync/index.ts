import path from 'node:path';
import { currentOs } from '../current-os';
import { knowledgeStore } from '../../shared/knowledge';
import { syncKnowledgeDirectory } from '../../shared/knowledge/seed-sync';
import { handleStackEvent } from './stack-resource';

/** The seed documents: bundled next to the handler on AWS (AIOS_KNOWLEDGE_SEED_DIR), the definition's folder otherwise. */
function seedDir(): string {
  return process.env.AIOS_KNOWLEDGE_SEED_DIR ?? path.resolve(__dirname, '../..', currentOs().knowledge.seedDir);
}

/** The custom resource that loads the seed knowledge on `cdk deploy`. */
export const handler = (event: unknown) => handleStackEvent(event, { sync: () => syncKnowledgeDirectory(knowledgeStore(), seedDir()), fetch: (...a) => fetch(...a) });
