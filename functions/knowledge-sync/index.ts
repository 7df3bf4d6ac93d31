/** Lambda `aios-knowledge-sync`: the knowledge seed's custom resource (see knowledge-sync-function.ts), over the whole definition. */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { knowledgeWriter } from '../../shared/composition/knowledge-writer';
import { currentOs } from '../current-os';
import { knowledgeSyncHandler } from './knowledge-sync-function';

/** The handler over `env`. */
export function createHandler(env: AiosEnvironment) {
  return knowledgeSyncHandler(env, () => currentOs(env.vars), knowledgeWriter);
}

export const handler = createHandler(parseEnvironment(process.env));
