/**
 * `aios outputs`: the deployment's names as the commands see them (the stack's
 * outputs with `--stack`/`AIOS_TARGET=aws`, `GET /outputs` of the local runtime).
 */
import type { Command } from 'commander';
import { AiosError } from '../../shared/errors';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { readDeploymentOutputs, type TargetOptions } from '../deployment-names';
import { printOut, terminalJson } from '../terminal-text';

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('outputs')
    .description("print the deployment's names (tables, bus, state machines, URLs, secrets) as JSON")
    .action(async () => {
      const outputs = await readDeploymentOutputs(program.opts<TargetOptions>(), cli.current().vars);
      if (!outputs)
        throw new AiosError(
          'Runtime.Unreachable',
          `the local runtime did not answer GET /outputs: start it with \`npm start\`, or pass --stack <name> for a deployed stack`,
        );
      printOut(`${terminalJson(outputs, 2)}\n`);
    });
}
