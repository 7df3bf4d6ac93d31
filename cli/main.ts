/**
 * The `aios` command. Each file in cli/commands/ registers one command (or a
 * group) on the program; they are loaded in name order so `--help` is stable.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { reportCliError } from './cli-error';
import { createCliEnvironment, type CliEnvironment } from './cli-environment';
import type { TargetOptions } from './deployment-names';

/** Top-level commands that act on a deployment (local runtime or AWS stack). */
const DEPLOYMENT_COMMANDS = new Set([
  'approvals',
  'approve',
  'reject',
  'audit',
  'knowledge',
  'runs',
  'send-event',
  'events',
  'rights',
  'webhook',
  'doctor',
  'smoke',
  'outputs',
]);
/** Commands with offline uses (`rights explain` without limits, `events test-pattern`): the names are used when the deployment answers. */
const NAMES_OPTIONAL = new Set(['events', 'rights', 'webhook']);

function rootCommandOf(command: Command): Command {
  let c = command;
  while (c.parent?.parent) c = c.parent;
  return c;
}

export function buildProgram(cli: CliEnvironment = createCliEnvironment()): Command {
  const program = new Command('aios')
    .description('AIOS: an AI operating system that runs in your own AWS account, or on this machine.')
    .showHelpAfterError()
    .exitOverride()
    .option(
      '--stack <name>',
      'the deployed CloudFormation stack whose outputs name the tables, bus and workflows (AWS; default AIOS_STACK or Aios with AIOS_TARGET=aws)',
    );
  // Commands that reach a deployment read its names from its outputs first (DescribeStacks on AWS, GET /outputs locally).
  program.hook('preAction', async (_program, action) => {
    const name = rootCommandOf(action).name();
    if (!DEPLOYMENT_COMMANDS.has(name)) return;
    try {
      await cli.useDeployment(program.opts<TargetOptions>());
    } catch (error) {
      if (!NAMES_OPTIONAL.has(name)) throw error;
    }
  });
  const dir = path.join(__dirname, 'commands');
  for (const file of readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as { register?: (program: Command, cli: CliEnvironment) => void };
    mod.register?.(program, cli);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    return reportCliError(error);
  }
}
