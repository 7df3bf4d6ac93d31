/**
 * A folder (or list) of scenario files run one after another, with a test
 * runner's report: each scenario passed or failed, every mismatch as a diff,
 * then `N passed, N failed`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeSearch } from '../../shared/agents/knowledge-port';
import type { ValidOs } from '../../shared/definition';
import { KnowledgeStore, syncKnowledgeDirectory, toExcerpt } from '../../shared/knowledge';
import { formatMismatch } from '../../shared/scenarios/check-expectations';
import { scenarioSchema, type Scenario } from '../../shared/scenarios/scenario-schema';
import { MemoryTable } from '../../shared/storage/memory-table';
import { runScenario, ScenarioSetupError, type RunScenarioOptions, type ScenarioResult } from './run-scenario';

export interface ScenarioFile {
  file: string;
  scenario: Scenario;
}

/** Scenario files: the given files, or every `*.json` under the given folders, in name order. */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new ScenarioSetupError(`no scenario file or folder ${p}`);
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.json')) out.push(path.join(p, f));
    } else out.push(p);
  }
  return out;
}

export function loadScenario(file: string): ScenarioFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioSetupError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success)
    throw new ScenarioSetupError(
      `${file} is not a valid scenario: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return { file, scenario: parsed.data };
}

/** The definition's seed documents in an in-memory store, for the agents' knowledge. */
export async function seededKnowledge(seedDir: string): Promise<KnowledgeSearch | undefined> {
  if (!existsSync(seedDir)) return undefined;
  const store = new KnowledgeStore({ table: new MemoryTable('knowledge'), embedder: null });
  await syncKnowledgeDirectory(store, seedDir);
  return async (request) => (await store.search(request)).map(toExcerpt);
}

export interface SuiteReport {
  results: ScenarioResult[];
  passed: number;
  failed: number;
}

/** Runs the scenarios in order; `write` receives the report as it goes. */
export async function runScenarioSuite(
  files: readonly ScenarioFile[],
  options: Omit<RunScenarioOptions, 'scenario' | 'file'>,
  write: (text: string) => void = () => undefined,
): Promise<SuiteReport> {
  const results: ScenarioResult[] = [];
  for (const { file, scenario } of files) {
    const result = await runScenario({ ...options, scenario, file });
    results.push(result);
    write(`${result.mismatches.length === 0 ? 'ok  ' : 'FAIL'} ${scenario.name}  (${path.basename(file)})\n`);
    for (const m of result.mismatches) write(`  ${formatMismatch(m).replace(/\n/g, '\n  ')}\n`);
    if (result.mismatches.length > 0 && result.observed.error) write(`  run: ${result.observed.error}\n`);
  }
  const failed = results.filter((r) => r.mismatches.length > 0).length;
  write(`\n${results.length - failed} passed, ${failed} failed\n`);
  return { results, passed: results.length - failed, failed };
}

export function knowledgeFor(os: ValidOs, resolve: (p: string) => string): Promise<KnowledgeSearch | undefined> {
  return seededKnowledge(resolve(os.knowledge.seedDir));
}
