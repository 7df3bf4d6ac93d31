/**
 * `aios knowledge sync [--dir <folder>]` loads the seed documents;
 * `aios knowledge search "<query>"` prints ranked chunks with scores.
 * Both reach DynamoDB through the client factory: the local runtime unless
 * AWS_ENDPOINT_URL or AIOS_TARGET=aws say otherwise.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { projectPath } from '../../local/project-paths';
import { KnowledgeUnavailableError } from '../../shared/knowledge/errors';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { knowledgeStore } from '../../shared/composition/knowledge';
import { tableNameOf } from '../../shared/composition/tables';
import { syncKnowledgeDirectory, type KnowledgeHit } from '../../shared/knowledge';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { printOut, terminalJson } from '../terminal-text';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('a whole number from 1 to 50');
  return n;
}

/** Turns "cannot connect" and "no such table" into one clear error. */
async function reachingTable<T>(env: AiosEnvironment, run: () => Promise<T>): Promise<T> {
  const endpoint = env.endpoint;
  try {
    return await run();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
    const where = endpoint ?? 'AWS';
    if (name === 'ResourceNotFoundException') {
      throw new KnowledgeUnavailableError(
        `table ${tableNameOf(env, 'knowledge')} does not exist at ${where}${endpoint ? ' (is `npm start` running?)' : ''}`,
        { endpoint },
        error,
      );
    }
    if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code) || /ECONNREFUSED/.test(String((error as Error).message))) {
      throw new KnowledgeUnavailableError(
        `cannot reach DynamoDB at ${where}: start the local runtime with \`npm start\`, or set AWS_ENDPOINT_URL / AIOS_TARGET=aws`,
        { endpoint },
        error,
      );
    }
    throw error;
  }
}

function formatHit(hit: KnowledgeHit, rank: number): string {
  const source =
    hit.document.source.kind === 'seed'
      ? hit.document.source.path
      : `remembered by ${hit.document.source.agentId} in run ${hit.document.source.runId} at ${hit.document.source.at}`;
  const scores =
    hit.similarity !== undefined
      ? `score ${hit.score.toFixed(4)} (bm25 ${hit.bm25.toFixed(3)}, cosine ${hit.similarity.toFixed(3)})`
      : `score ${hit.score.toFixed(4)}`;
  const excerpt = hit.text.replace(/\s+/g, ' ').trim();
  return [
    `${rank}. ${scores}  ${hit.namespace}/${hit.docId} v${hit.version} #${hit.chunkIndex}  ${hit.document.title}${hit.heading && hit.heading !== hit.document.title ? ` › ${hit.heading}` : ''}`,
    `   source: ${source}`,
    `   ${excerpt.length > 300 ? `${excerpt.slice(0, 297)}…` : excerpt}`,
  ].join('\n');
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  const knowledge = program.command('knowledge').description('the knowledge base: seed documents, search');

  knowledge
    .command('sync')
    .description('load the seed documents (Markdown with front matter) into the knowledge table; unchanged documents are left alone, removed ones retired')
    .option('--dir <dir>', "folder of seed documents (default: the definition's knowledge.seedDir)")
    .action(async (opts: { dir?: string }) => {
      const env = cli.current();
      const options = { dir: opts.dir ?? projectPath(currentOs(env.vars).knowledge.seedDir) };
      const report = await reachingTable(env, () => syncKnowledgeDirectory(knowledgeStore(env), options.dir));
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
      const env = cli.current();
      const hits = await reachingTable(env, () => knowledgeStore(env).search({ query, namespaces: options.namespace, limit: options.limit }));
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
