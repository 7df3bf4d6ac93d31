/**
 * The write side of the knowledge base of an environment: documents, chunks
 * and the change log in the `knowledge` table (shared/knowledge/writer.ts)
 * and none of the search index. For the functions that write without
 * searching: the `knowledge.remember` tool and the seed sync. The tool's port
 * takes the write path alone (shared/knowledge/version-writer.ts): it
 * remembers, and checks no whole documents, so it carries no document schema.
 *
 * `…WithoutEmbeddings` for a deployment with no embeddings model (settled at
 * synth), so the bundle carries no embeddings provider either; the others
 * read the AIOS_EMBEDDINGS* settings and store a vector with each chunk.
 *
 * @example
 * const writer = knowledgeWriterWithoutEmbeddings(env);
 * await syncKnowledgeDirectory(writer, seedDir);
 */
import type { ToolPorts } from '../definition/tool';
import { ALL_EMBEDDERS, embedderOf, embeddingsSettings } from '../knowledge/embeddings-config';
import { VersionWriter } from '../knowledge/version-writer';
import { KnowledgeWriter } from '../knowledge/writer';
import { openTable } from '../tables';
import type { AiosEnvironment } from './environment';
import { onePerTable } from './knowledge-instances';
import { refuseEmbeddings } from './knowledge-without-embeddings';
import { ToolPortNotGrantedError } from './tool-ports';

const writers = new WeakMap<object, Map<string, KnowledgeWriter>>();
const rememberers = new WeakMap<object, Map<string, VersionWriter>>();

/** Writes without vectors. @throws EmbeddingsError when the environment turns embeddings on: this function was built without them. */
export function knowledgeWriterWithoutEmbeddings(env: AiosEnvironment): KnowledgeWriter {
  refuseEmbeddings(env);
  return onePerTable(writers, openTable('knowledge', env.vars), 'off', (table) => new KnowledgeWriter({ table, embedder: null }));
}

/** Writes with the embeddings the environment configures (a vector per chunk), or without when they are off. */
export function knowledgeWriter(env: AiosEnvironment): KnowledgeWriter {
  const settings = embeddingsSettings(env.vars);
  return onePerTable(
    writers,
    openTable('knowledge', env.vars),
    `with:${settings}`,
    (table) => new KnowledgeWriter({ table, embedder: embedderOf(env.vars, ALL_EMBEDDERS) }),
  );
}

/** A tool's knowledge port that remembers; `search` refuses, as the function carries no search index. */
function rememberPort(writer: VersionWriter): ToolPorts['knowledge'] {
  return {
    search: () => Promise.reject(new ToolPortNotGrantedError('knowledge.search')),
    remember: (request) => writer.remember(request),
  };
}

/** The knowledge port of a tool function that only remembers, built without embeddings. */
export function knowledgeRememberPortWithoutEmbeddings(env: AiosEnvironment): ToolPorts['knowledge'] {
  refuseEmbeddings(env);
  return rememberPort(onePerTable(rememberers, openTable('knowledge', env.vars), 'off', (table) => new VersionWriter({ table, embedder: null })));
}

/** The knowledge port of a tool function that only remembers, with the configured embeddings. */
export function knowledgeRememberPort(env: AiosEnvironment): ToolPorts['knowledge'] {
  const settings = embeddingsSettings(env.vars);
  return rememberPort(
    onePerTable(
      rememberers,
      openTable('knowledge', env.vars),
      `with:${settings}`,
      (table) => new VersionWriter({ table, embedder: embedderOf(env.vars, ALL_EMBEDDERS) }),
    ),
  );
}
