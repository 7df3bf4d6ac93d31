/**
 * `aios eval`: the scenarios against a live model (openai or bedrock), each
 * run K times; failing runs are kept as JSON for inspection, and with
 * `record` the live answers become recordings `aios test` replays.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeSearch } from '../../shared/agents/knowledge-port';
import type { ValidOs } from '../../shared/definition';
import { evalReport, summariseScenario, type EvalReport, type EvalRun } from '../../shared/scenarios/eval-report';
import type { ModelProvider } from '../bedrock/model-provider';
import { runScenario } from './run-scenario';
import type { ScenarioFile } from './scenario-suite';

export async function runEval(options: {
  os: ValidOs;
  files: readonly ScenarioFile[];
  provider: ModelProvider;
  providerDescription: string;
  repeat: number;
  outDir: string;
  recordingsDir: string;
  knowledge?: KnowledgeSearch;
  progress?: (line: string) => void;
}): Promise<EvalReport> {
  // A provider that cannot answer at all (no credentials) is one error, not every scenario failing with it.
  await options.provider.ready?.();
  mkdirSync(options.outDir, { recursive: true });
  const scenarios = [];
  for (const { file, scenario } of options.files) {
    const runs: EvalRun[] = [];
    for (let k = 1; k <= options.repeat; k++) {
      const result = await runScenario({
        os: options.os,
        scenario,
        file,
        recordingsDir: options.recordingsDir,
        converse: (request) => options.provider.converse(request),
        ...(options.knowledge ? { knowledge: options.knowledge } : {}),
      });
      const passed = result.mismatches.length === 0;
      let kept: string | undefined;
      if (!passed) {
        kept = path.join(options.outDir, 'failures', `${path.basename(file, '.json')}-run${k}.json`);
        mkdirSync(path.dirname(kept), { recursive: true });
        writeFileSync(
          kept,
          `${JSON.stringify({ scenario: scenario.name, file, run: k, mismatches: result.mismatches, observed: result.observed }, null, 2)}\n`,
        );
      }
      runs.push({ passed, mismatches: result.mismatches, ...result.usage, ...(kept ? { kept } : {}) });
      options.progress?.(`${passed ? 'ok  ' : 'FAIL'} ${scenario.name} (run ${k}/${options.repeat})\n`);
    }
    scenarios.push(summariseScenario(scenario.name, file, scenario.expect, runs));
  }
  const report = evalReport(options.providerDescription, options.repeat, scenarios);
  writeFileSync(path.join(options.outDir, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
