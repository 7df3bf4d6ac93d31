import path from 'node:path';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { knowledgeStore } from '../../shared/composition/knowledge';
import { syncKnowledgeDirectory } from '../../shared/knowledge/seed-sync';
import { currentOs } from '../current-os';
import { handleStackEvent } from './stack-resource';

/** The seed documents: bundled next to the handler on AWS (AIOS_KNOWLEDGE_SEED_DIR), the definition's folder otherwise. */
function seedDir(env: AiosEnvironment): string {
  return env.knowledgeSeedDir ?? path.resolve(__dirname, '../..', currentOs(env.vars).knowledge.seedDir);
}

/** The custom resource that loads the seed knowledge on `cdk deploy`, over `env`. */
export function createHandler(env: AiosEnvironment) {
  return (event: unknown) => handleStackEvent(event, { sync: () => syncKnowledgeDirectory(knowledgeStore(env), seedDir(env)), fetch: (...a) => fetch(...a) });
}

export const handler = createHandler(parseEnvironment(process.env));
