/**
 * `aios start <workflow> [--input <file.json>]`: starts a run by hand
 * (Step Functions StartExecution at the local runtime unless AIOS_TARGET=aws
 * or AWS_ENDPOINT_URL says otherwise). A scheduled workflow gets the input its
 * schedule gives, at the local clock (AIOS_CLOCK) when set. The input goes
 * wrapped with who typed the command (shared/contracts/manual-start.ts), so
 * the run's audit trail records a manual start by `user@host`, not an event
 * received from the source of the event file given.
 */
import { readFileSync } from 'node:fs';
import { ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { sfnClient } from '../../shared/aws/sfn';
import { startedByHand } from '../../shared/contracts/manual-start';
import { clock } from '../../shared/composition/clock';
import { AiosError } from '../../shared/errors';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { cliOperator } from '../operator';
import { manualStartInput } from '../start-input';
import { printOut } from '../terminal-text';

function readInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AiosError('Cli.FileNotFound', `no file "${file}"`, { file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AiosError('Start.InvalidInput', `${file} is not JSON: ${(error as Error).message}`, { file });
  }
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('start')
    .description('start a workflow by hand (scheduled workflows get the input their schedule gives)')
    .argument('<workflow>', 'the workflow id')
    .option('--input <file>', 'the run input as a JSON file (for a workflow started by events: the event)')
    .action(async (workflowId: string, options: { input?: string }) => {
      const env = cli.current();
      const os = currentOs(env.vars);
      const workflow = os.workflows.find((w) => w.id === workflowId);
      if (!workflow)
        throw new AiosError('Start.UnknownWorkflow', `no workflow "${workflowId}"; the definition has ${os.workflows.map((w) => w.id).join(', ')}`, {
          workflowId,
        });
      const input = manualStartInput(workflow, options.input ? readInput(options.input) : undefined, clock(env)());
      const endpoint = env.endpoint;
      const sfn = sfnClient({}, env.vars);
      let arn: string | undefined;
      let nextToken: string | undefined;
      try {
        do {
          const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
          arn = page.stateMachines?.find((m) => m.name === workflowId || m.name?.endsWith(`-${workflowId}`))?.stateMachineArn ?? arn;
          nextToken = page.nextToken;
        } while (!arn && nextToken);
      } catch (error) {
        throw new AiosError(
          'Start.Unreachable',
          `cannot reach Step Functions at ${endpoint ?? 'AWS'}: start the local runtime with \`npm start\` (or set AIOS_PORT)`,
          { endpoint },
          { cause: error },
        );
      }
      if (!arn)
        throw new AiosError(
          'Start.NotInstalled',
          `workflow "${workflowId}" is not installed at ${endpoint ?? 'AWS'} (restart the runtime after changing the definition)`,
          { workflowId },
        );
      const out = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: arn,
          name: `manual-${Date.now()}`,
          input: JSON.stringify(startedByHand(input, { operator: cliOperator(), via: 'cli' })),
        }),
      );
      printOut(`started ${out.executionArn}\nfollow it: npx aios runs show ${out.executionArn!.split(':').pop()}\n`);
    });
}
