/**
 * `aios model ask "<text>"` sends one Converse request to the model endpoint
 * (the local runtime unless AWS_ENDPOINT_URL / AIOS_TARGET=aws say otherwise)
 * and prints the answer (`--agent` must name an agent of the definition: the
 * local endpoint drafts a recording for whatever agent a request names);
 * `aios model recordings` lists the recorded
 * conversations the replay provider answers from.
 */
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { loadRecordings, recordingsDir } from '../../local/bedrock/recordings';
import { projectPath } from '../../local/project-paths';
import { UnknownAgentError } from '../../shared/agents/errors';
import { bedrockRuntimeClient } from '../../shared/aws/bedrock-runtime';
import { AiosError } from '../../shared/errors';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { printOut } from '../terminal-text';

const DEFAULT_MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

class ModelCallFailedError extends AiosError {
  constructor(type: string, message: string) {
    super('Model.CallFailed', `${type}: ${message}`, { type });
  }
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  const model = program.command('model').description('the model behind the agents (local Bedrock endpoint or real Bedrock)');
  model
    .command('ask <text>')
    .description('send one Converse request and print the answer')
    .option('-m, --model <id>', 'Bedrock model id', DEFAULT_MODEL)
    .option('-a, --agent <id>', 'agent id sent as request metadata (replay keys conversations by it)')
    .option('-s, --system <text>', 'system prompt')
    .action(async (text: string, opts: { model: string; agent?: string; system?: string }) => {
      const env = cli.current();
      if (opts.agent !== undefined) {
        const agents = currentOs(env.vars).agents.map((a) => a.id);
        if (!agents.includes(opts.agent)) throw new UnknownAgentError(opts.agent, agents);
      }
      const endpoint = env.endpoint;
      let out;
      try {
        out = await bedrockRuntimeClient({}, env.vars).send(
          new ConverseCommand({
            modelId: opts.model,
            messages: [{ role: 'user', content: [{ text }] }],
            ...(opts.system ? { system: [{ text: opts.system }] } : {}),
            ...(opts.agent ? { requestMetadata: { aiosAgent: opts.agent } } : {}),
          }),
        );
      } catch (error) {
        const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
        if ((e.code ?? e.cause?.code) === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(e.message))) {
          throw new AiosError(
            'Runtime.Unreachable',
            `cannot reach ${endpoint ?? 'AWS'}: start the local runtime with \`npm start\`, or set AWS_ENDPOINT_URL / AIOS_TARGET=aws`,
          );
        }
        throw new ModelCallFailedError(e.name ?? 'Error', e.message ?? String(error));
      }
      for (const block of out.output?.message?.content ?? []) {
        if (block.text !== undefined) printOut(`${block.text}\n`);
        if (block.toolUse) printOut(`→ tool ${block.toolUse.name} ${JSON.stringify(block.toolUse.input)}\n`);
      }
      const u = out.usage;
      printOut(`(${out.stopReason}; ${u?.inputTokens ?? 0} in / ${u?.outputTokens ?? 0} out tokens)\n`);
    });
  model
    .command('recordings')
    .description('list the recorded conversations the replay provider answers from')
    .option('-d, --dir <dir>', 'recordings folder (default: AIOS_RECORDINGS_DIR or the recordingsDir of the definition)')
    .action((opts: { dir?: string }) => {
      const env = cli.current();
      const dir = recordingsDir(env.vars, opts.dir, projectPath(currentOs(env.vars).recordingsDir));
      const found = loadRecordings(dir);
      if (found.length === 0) printOut(`no recordings in ${dir}\n`);
      for (const { file, recording } of found) {
        const key =
          recording.conversation ??
          `match ${recording.match?.agent ?? '*'}: ${recording.match?.firstMessageContains.map((s) => JSON.stringify(s)).join(' + ')}`;
        printOut(`${file.slice(dir.length + 1).padEnd(40)} ${String(recording.turns.length).padStart(2)} turn(s)  ${key}\n`);
      }
    });
}
