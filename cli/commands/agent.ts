/**
 * `aios agent prompt <agent> --event <file> [--workflow <id>] [--json]`:
 * prints what the agent is told — system prompt, the knowledge quoted in it,
 * the first message and the tool configuration — exactly as Converse
 * receives them, with the conversation key a recording must name.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { currentOs } from '../../functions/current-os';
import { projectPath } from '../../local/project-paths';
import { agentPrompt, formatAgentPrompt } from '../../local/scenarios/agent-prompt';
import { knowledgeFor } from '../../local/scenarios/scenario-suite';
import { AiosError } from '../../shared/errors';
import { printOut, terminalJson } from '../terminal-text';

const eventFileSchema = z.object({ source: z.string().min(1), 'detail-type': z.string().min(1), detail: z.record(z.string(), z.unknown()).default({}) });

function readEvent(file: string): z.infer<typeof eventFileSchema> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AiosError('Agent.PromptEvent', `cannot read ${file} as JSON: ${(error as Error).message}`, { file });
  }
  const parsed = eventFileSchema.safeParse(json);
  if (!parsed.success)
    throw new AiosError(
      'Agent.PromptEvent',
      `${file} is not an event with source, detail-type and detail (e.g. events/samples/bus/zendesk.ticket-created.json)`,
      { file },
    );
  return parsed.data;
}

export function register(program: Command): void {
  const agent = program.command('agent').description('agents: see what they are told');
  agent
    .command('prompt')
    .description('print what an agent is told for an event: system prompt, knowledge, first message, tools — exactly as Converse receives them')
    .argument('<agent>', 'the agent id')
    .requiredOption('--event <file>', 'the trigger event (source, detail-type, detail)')
    .option('--workflow <id>', 'the workflow, when several use the agent')
    .option('--json', 'print the Converse request as JSON')
    .action(async (agentId: string, options: { event: string; workflow?: string; json?: boolean }) => {
      const os = currentOs();
      const knowledge = await knowledgeFor(os, projectPath);
      const prompt = await agentPrompt({
        os,
        agentId,
        event: readEvent(options.event),
        recordingsDir: projectPath(os.recordingsDir),
        ...(options.workflow ? { workflowId: options.workflow } : {}),
        ...(knowledge ? { knowledge } : {}),
      });
      printOut(options.json ? `${terminalJson({ conversationKey: prompt.conversationKey, request: prompt.request }, 2)}\n` : formatAgentPrompt(prompt));
    });
}
