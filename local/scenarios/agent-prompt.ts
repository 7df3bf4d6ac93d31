/**
 * What an agent is told, exactly as Converse receives it: the workflow that
 * uses the agent runs on the in-process engine (as `aios test` does) with the
 * given event until the agent's first model call, which is captured instead of
 * answered. Earlier agents of the workflow answer from the recordings.
 */
import type { ConverseRequest } from '../../shared/agents/converse-shapes';
import type { KnowledgeSearch } from '../../shared/agents/knowledge-port';
import type { ValidOs } from '../../shared/definition';
import { AiosError } from '../../shared/errors';
import { scenarioSchema } from '../../shared/scenarios/scenario-schema';
import { createReplayProvider } from '../bedrock/providers/replay-provider';
import { conversationKey } from '../bedrock/recordings';
import { runScenario } from './run-scenario';

export class AgentPromptError extends AiosError {
  constructor(message: string) {
    super('Agent.Prompt', message);
  }
}

const CAPTURED = 'aios-agent-prompt-captured';

export interface AgentPrompt {
  workflowId: string;
  conversationKey: string;
  request: ConverseRequest;
}

export async function agentPrompt(options: {
  os: ValidOs;
  agentId: string;
  event: { source: string; 'detail-type': string; detail: Record<string, unknown> };
  workflowId?: string;
  recordingsDir: string;
  knowledge?: KnowledgeSearch;
}): Promise<AgentPrompt> {
  const { os, agentId } = options;
  if (!os.agents.some((a) => a.id === agentId)) throw new AgentPromptError(`no agent "${agentId}" (agents: ${os.agents.map((a) => a.id).join(', ')})`);
  const using = os.workflows.filter((w) => w.steps.some((s) => s.kind === 'agent' && (s as { agent?: string }).agent === agentId));
  const workflow = options.workflowId ? using.find((w) => w.id === options.workflowId) : using[0];
  if (!workflow) {
    throw new AgentPromptError(
      options.workflowId
        ? `workflow "${options.workflowId}" has no step of agent "${agentId}" (workflows that do: ${using.map((w) => w.id).join(', ') || 'none'})`
        : `no workflow has a step of agent "${agentId}"`,
    );
  }
  const replay = createReplayProvider({ dir: options.recordingsDir });
  let captured: ConverseRequest | undefined;
  const scenario = scenarioSchema.parse({ name: `prompt of ${agentId}`, workflow: workflow.id, event: options.event, recordings: [] });
  const result = await runScenario({
    os,
    scenario,
    file: '(agent prompt)',
    recordingsDir: options.recordingsDir,
    ...(options.knowledge ? { knowledge: options.knowledge } : {}),
    converse: async (request) => {
      if (request.requestMetadata?.aiosAgent === agentId && !captured) {
        captured = request;
        throw new Error(CAPTURED);
      }
      return replay.converse(request);
    },
  });
  if (!captured)
    throw new AgentPromptError(
      `the run of "${workflow.id}" with this event never reached agent "${agentId}"${result.observed.error ? `: ${result.observed.error}` : ''}`,
    );
  return { workflowId: workflow.id, conversationKey: conversationKey(captured), request: captured };
}

/** The request as a person reads it: each part under its heading, text as text, the rest as JSON. */
export function formatAgentPrompt(p: AgentPrompt): string {
  const { request } = p;
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  const texts = (blocks: readonly unknown[] | undefined) =>
    (blocks ?? []).map((b) => (typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : json(b))).join('\n\n');
  const first = request.messages?.find((m) => m.role === 'user');
  return [
    `agent ${request.requestMetadata?.aiosAgent ?? '?'} in workflow ${p.workflowId}, model ${request.modelId}`,
    `conversation key: ${p.conversationKey}  (a recording with "conversation": "${p.conversationKey}" answers it)`,
    '',
    '── system ──',
    texts(request.system),
    '',
    '── first message (user) ──',
    texts(first?.content),
    '',
    '── tool configuration ──',
    json(request.toolConfig ?? null),
    '',
    '── inference configuration ──',
    json(request.inferenceConfig ?? null),
    '',
  ].join('\n');
}
