/**
 * `aios eval [paths…] --provider openai|bedrock [--repeat K] [--out dir] [--record]`:
 * the scenarios of `aios test` against a live model, each K times: pass rate
 * per scenario and expectation, tokens, cost and latency, as a table and as
 * JSON (<out>/eval.json); failing runs kept in <out>/failures/. --record keeps
 * the live answers as recordings (the definition's recordings folder, or
 * AIOS_RECORDINGS_DIR) for `aios test`. Exits 1 when fewer runs pass than
 * --min-pass-rate asks (default 100: every run), as `aios test` does on a failure.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { recordingsDir } from '../../local/bedrock/recordings';
import { selectModelProvider } from '../../local/bedrock/select-provider';
import { projectPath } from '../../local/project-paths';
import { runEval } from '../../local/scenarios/eval-suite';
import { findScenarioFiles, knowledgeFor, loadScenario } from '../../local/scenarios/scenario-suite';
import { formatEvalTable, meetsPassRate } from '../../shared/scenarios/eval-report';
import { printErr, printOut } from '../terminal-text';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('a whole number from 1 to 100');
  return n;
}

function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('a percentage from 0 to 100');
  return n;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('run the scenarios against a live model, K times each: pass rates, tokens, cost, latency')
    .argument('[paths...]', "scenario files or folders (default: the definition's scenariosDir)")
    .requiredOption('--provider <name>', 'openai (AIOS_OPENAI_BASE_URL, AIOS_OPENAI_MODEL) or bedrock')
    .option('--repeat <k>', 'runs per scenario', positiveInt, 3)
    .option('--out <dir>', 'where eval.json and failing runs go', '.aios/eval')
    .option('--record', 'keep the live answers as recordings for aios test')
    .option('--min-pass-rate <percent>', 'the percentage of runs that must pass, else exit 1', percent, 100)
    .action(async (paths: string[], options: { provider: string; repeat: number; out: string; record?: boolean; minPassRate: number }) => {
      const os = currentOs();
      const recordings = recordingsDir(process.env, undefined, projectPath(os.recordingsDir));
      const choice = selectModelProvider(
        { ...process.env, AIOS_MODEL_PROVIDER: options.provider, AIOS_MODEL_RECORD: options.record ? '1' : '0' },
        { recordingsDir: recordings },
      );
      const files = findScenarioFiles(paths.length > 0 ? paths : [projectPath(os.scenariosDir)]).map(loadScenario);
      const knowledge = await knowledgeFor(os, projectPath);
      const report = await runEval({
        os,
        files,
        provider: choice.provider,
        providerDescription: choice.description,
        repeat: options.repeat,
        outDir: path.resolve(options.out),
        recordingsDir: recordings,
        ...(knowledge ? { knowledge } : {}),
        progress: printErr,
      });
      printOut(`${formatEvalTable(report)}report: ${path.join(path.resolve(options.out), 'eval.json')}\n`);
      if (!meetsPassRate(report, options.minPassRate)) {
        printOut(`FAILED: fewer runs passed than --min-pass-rate ${options.minPassRate}% asks\n`);
        process.exitCode = 1;
      }
    });
}
