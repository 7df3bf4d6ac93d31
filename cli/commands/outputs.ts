/**
 * `aios outputs`: the deployment's names as the commands see them (the stack's
 * outputs with `--stack`/`AIOS_TARGET=aws`, `GET /outputs` of the local runtime).
 */
import type { Command } from 'commander';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { requireDeploymentOutputs, type TargetOptions } from '../deployment-names';
import { printOut, terminalJson } from '../terminal-text';

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('outputs')
    .description("print the deployment's names (tables, bus, state machines, URLs, secrets) as JSON")
    .action(async () => {
      const outputs = await requireDeploymentOutputs(program.opts<TargetOptions>(), cli.current().vars);
      printOut(`${terminalJson(outputs, 2)}\n`);
    });
}
