/**
 * `aios test [files or folders…]`: runs the definition's scenarios (default
 * its scenariosDir) in process on the durable engine, with the model
 * answering from recordings. Prints each scenario and `N passed, N failed`;
 * exit 1 when one fails.
 */
import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { recordingsDir } from '../../local/bedrock/recordings';
import { projectPath } from '../../local/project-paths';
import { findScenarioFiles, knowledgeFor, loadScenario, runScenarioSuite } from '../../local/scenarios/scenario-suite';
import { printOut } from '../terminal-text';

export function register(program: Command): void {
  program
    .command('test')
    .description("run scenarios (a workflow, its trigger, the model's recorded answers, what people do, what must happen) on the local engine")
    .argument('[paths...]', "scenario files or folders (default: the definition's scenariosDir)")
    .action(async (paths: string[]) => {
      const os = currentOs();
      const files = findScenarioFiles(paths.length > 0 ? paths : [projectPath(os.scenariosDir)]).map(loadScenario);
      const knowledge = await knowledgeFor(os, projectPath);
      const report = await runScenarioSuite(
        files,
        { os, recordingsDir: recordingsDir(process.env, undefined, projectPath(os.recordingsDir)), ...(knowledge ? { knowledge } : {}) },
        printOut,
      );
      if (report.failed > 0 || files.length === 0) process.exitCode = 1;
    });
}
