/**
 * The knowledge seed's custom resource handler over the part of the
 * definition it reads: where the seed folder is, used only when the
 * environment does not name the bundled copy (AIOS_KNOWLEDGE_SEED_DIR, set on
 * AWS). index.ts gives it the whole definition, a deployment that part,
 * written at synth (infra/definition-entries.ts).
 */
import path from 'node:path';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { syncKnowledgeDirectory, type SeedSyncTarget } from '../../shared/knowledge/seed-sync';
import { handleStackEvent } from './stack-resource';

/** What of the definition the seed sync reads. */
export interface KnowledgeSyncDefinition {
  knowledge: { seedDir: string };
}

/** The seed documents: bundled next to the handler on AWS (AIOS_KNOWLEDGE_SEED_DIR), the definition's folder otherwise. */
export function seedDir(env: AiosEnvironment, definition: () => KnowledgeSyncDefinition): string {
  return env.knowledgeSeedDir ?? path.resolve(__dirname, '../..', definition().knowledge.seedDir);
}

/**
 * The custom resource that loads the seed knowledge on `cdk deploy`, over `env` and the writer `knowledge`
 * makes (shared/composition/knowledge-writer.ts: no search index; an embeddings provider only for a deployment with embeddings).
 */
export function knowledgeSyncHandler(env: AiosEnvironment, definition: () => KnowledgeSyncDefinition, knowledge: (env: AiosEnvironment) => SeedSyncTarget) {
  return (event: unknown) =>
    handleStackEvent(event, { sync: () => syncKnowledgeDirectory(knowledge(env), seedDir(env, definition)), fetch: (...a) => fetch(...a) });
}
