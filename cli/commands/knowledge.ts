/**
 * `aios knowledge sync [--dir os/knowledge]` loads the seed documents;
 * `aios knowledge search "<query>"` prints ranked chunks with scores.
 * Both reach DynamoDB through the client factory: the local runtime unless
 * AWS_ENDPOINT_URL or AIOS_TARGET=aws say otherwise.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { KnowledgeUnavailableError } from '../../shared/knowledge/errors';
import { knowledgeStore, searchKnowledge, syncKnowledgeDirectory, type KnowledgeHit } from '../../shared/knowledge';
import { tableName } from '../../shared/tables';
import { ensureLocalEndpointEnv } from '../local-endpoint';
import { printOut, terminalJson } from '../terminal-text';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('a whole number from 1 to 50');
  return n;
}

/** Turns "cannot connect" and "no such table" into one clear error. */
async function reachingTable<T>(endpoint: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
    const where = endpoint ?? 'AWS';
    if (name === 'ResourceNotFoundException') {
      throw new KnowledgeUnavailableError(`table ${tableName('knowledge')} does not exist at ${where}${endpoint ? ' (is `npm start` running?)' : ''}`, { endpoint }, error);
    }
    if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code) || /ECONNREFUSED/.test(String((error as Error).message))) {
      throw new KnowledgeUnavailableError(`cannot reach DynamoDB at ${where}: start the local runtime with \`npm start\`, or set AWS_ENDPOINT_URL / AIOS_TARGET=aws`, { endpoint }, error);
    }
    throw error;
  }
}

function formatHit(hit: KnowledgeHit, rank: number): string {
  const source = hit.document.source.kind === 'seed' ? hit.document.source.path : `remembered by ${hit.document.source.agentId} in run ${hit.document.source.runId} at ${hit.document.source.at}`;
  const scores = hit.similarity !== undefined ? `score ${hit.score.toFixed(4)} (bm25 ${hit.bm25.toFixed(3)}, cosine ${hit.similarity.toFixed(3)})` : `score ${hit.score.toFixed(4)}`;
  const excerpt = hit.text.replace(/\s+/g, ' ').trim();
  return [
    `${rank}. ${scores}  ${hit.namespace}/${hit.docId} v${hit.version} #${hit.chunkIndex}  ${hit.document.title}${hit.heading && hit.heading !== hit.document.title ? ` › ${hit.heading}` : ''}`,
    `   source: ${source}`,
    `   ${excerpt.length > 300 ? `${excerpt.slice(0, 297)}…` : excerpt}`,
  ].join('\n');
}

export function register(program: Command): void {
  const knowledge = program.command('knowledge').description('the knowledge base: seed documents, search');

  knowledge
    .command('sync')
    .description('load the seed documents (Markdown with front matter) into the knowledge table; unchanged documents are left alone, removed ones retired')
    .option('--dir <dir>', 'folder of seed documents', 'os/knowledge')
    .action(async (options: { dir: string }) => {
      const endpoint = ensureLocalEndpointEnv();
      const report = await reachingTable(endpoint, () => syncKnowledgeDirectory(knowledgeStore(), options.dir));
      for (const [label, ids] of Object.entries(report) as [string, string[]][]) for (const id of ids) printOut(`${label.padEnd(9)} ${id}\n`);
      printOut(
        `synced ${options.dir}: ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.retired.length} retired\n`,
      );
    });

  knowledge
    .command('search')
    .description('print the chunks that best match a query, with scores and where they come from')
    .argument('<query>', 'what to look for, in plain words')
    .option('--namespace <namespace...>', 'namespaces to search (default: all)')
    .option('--limit <n>', 'how many chunks to print (1-50)', positiveInt, 5)
    .option('--json', 'print the hits as JSON')
    .action(async (query: string, options: { namespace?: string[]; limit: number; json?: boolean }) => {
      const endpoint = ensureLocalEndpointEnv();
      const hits = await reachingTable(endpoint, () => searchKnowledge({ query, namespaces: options.namespace, limit: options.limit }));
      if (options.json) {
        printOut(`${terminalJson(hits, 2)}\n`);
        return;
      }
      if (hits.length === 0) {
        printOut(`no knowledge matches "${query}"\n`);
        return;
      }
      printOut(`${hits.map((h, i) => formatHit(h, i + 1)).join('\n\n')}\n`);
    });
}
