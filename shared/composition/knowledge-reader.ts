/**
 * The read-only knowledge base of an environment: search over the
 * `knowledge` table (shared/knowledge/reader.ts) and none of the write code
 * (chunking, versioning, the change-log append). For the functions whose role
 * only reads knowledge: the `knowledge.search` tool and the agent step.
 *
 * `…WithoutEmbeddings` for a deployment with no embeddings model (settled at
 * synth), so the bundle carries no embeddings provider and no vector code
 * either; the others read the AIOS_EMBEDDINGS* settings and blend.
 *
 * @example
 * const reader = knowledgeReaderWithoutEmbeddings(env);
 * const hits = await reader.search({ query: 'refund for a torn bag', namespaces: ['support'], limit: 3 });
 */
import type { ToolPorts } from '../definition/tool';
import { ALL_EMBEDDERS, embedderOf, embeddingsSettings, vectorWeightFromEnv } from '../knowledge/embeddings-config';
import { BlendingReader } from '../knowledge/blending-reader';
import { KnowledgeReader } from '../knowledge/reader';
import { openTable } from '../tables';
import type { AiosEnvironment } from './environment';
import { onePerTable } from './knowledge-instances';
import { refuseEmbeddings } from './knowledge-without-embeddings';
import { ToolPortNotGrantedError } from './tool-ports';

const readers = new WeakMap<object, Map<string, KnowledgeReader>>();

/** BM25 search only. @throws EmbeddingsError when the environment turns embeddings on: this function was built without them. */
export function knowledgeReaderWithoutEmbeddings(env: AiosEnvironment): KnowledgeReader {
  refuseEmbeddings(env);
  return onePerTable(readers, openTable('knowledge', env.vars), 'off', (table) => new KnowledgeReader({ table }));
}

/** Search with the embeddings the environment configures (Bedrock or OpenAI-compatible), or BM25 only when they are off. */
export function knowledgeReader(env: AiosEnvironment): KnowledgeReader {
  const settings = embeddingsSettings(env.vars);
  return onePerTable(
    readers,
    openTable('knowledge', env.vars),
    `with:${settings}`,
    (table) => new BlendingReader({ table, embedder: embedderOf(env.vars, ALL_EMBEDDERS), vectorWeight: vectorWeightFromEnv(env.vars) }),
  );
}

/** A tool's knowledge port that searches; `remember` refuses, as the function's role may not write. */
function searchPort(reader: KnowledgeReader): ToolPorts['knowledge'] {
  return {
    search: (request) => reader.search(request),
    remember: () => Promise.reject(new ToolPortNotGrantedError('knowledge.remember')),
  };
}

/** The knowledge port of a tool function that only searches, built without embeddings. */
export function knowledgeSearchPortWithoutEmbeddings(env: AiosEnvironment): ToolPorts['knowledge'] {
  return searchPort(knowledgeReaderWithoutEmbeddings(env));
}

/** The knowledge port of a tool function that only searches, with the configured embeddings. */
export function knowledgeSearchPort(env: AiosEnvironment): ToolPorts['knowledge'] {
  return searchPort(knowledgeReader(env));
}
