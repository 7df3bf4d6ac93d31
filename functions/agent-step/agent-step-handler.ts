/**
 * Resolves the step's agent and its tools from the definition and runs one
 * turn (shared/agents/agent-step.ts). Input and output: the agent-step
 * contract (shared/agents/step-contract.ts).
 */
import { runAgentStep } from '../../shared/agents/agent-step';
import { ConversationStore } from '../../shared/agents/conversation-store';
import { AgentSuspendedError, InvalidStepInputError, UnknownAgentError, UnknownToolError } from '../../shared/agents/errors';
import type { AgentStepInput, AgentStepOutput } from '../../shared/agents/step-contract';
import { UsageLedger } from '../../shared/agents/usage-ledger';
import type { AgentStepEnvironment } from './agent-step-environment';

export async function handleAgentStep(event: unknown, env: AgentStepEnvironment): Promise<AgentStepOutput> {
  const agentId = (event as { agentId?: unknown } | null)?.agentId;
  if (typeof agentId !== 'string') throw new InvalidStepInputError('agentId: expected a string');
  const agent = env.os.agents.find((a) => a.id === agentId);
  if (!agent)
    throw new UnknownAgentError(
      agentId,
      env.os.agents.map((a) => a.id),
    );
  // One request where the environment reads them together (the input is checked below; what was read is used if it matches).
  const { runId, stepId, turn } = event as { runId?: unknown; stepId?: unknown; turn?: unknown };
  const firstTurnOf = typeof runId === 'string' && typeof stepId === 'string' && turn === 0 ? { runId, agentId: agent.id, stepId } : undefined;
  const read = env.beforeTurn && typeof runId === 'string' ? await env.beforeTurn(runId, agent.id, firstTurnOf) : undefined;
  const before = read && {
    runId: runId as string,
    agentId: agent.id,
    stepId: firstTurnOf?.stepId,
    totals: read.totals,
    conversationEmpty: read.conversationEmpty,
  };
  const suspended = read ? read.suspension : await env.suspensions?.suspension(agent.id);
  if (suspended) throw new AgentSuspendedError(agent.id, suspended.byName, suspended.why);
  const tools = agent.tools.map((id) => {
    const tool = env.os.tools.find((t) => t.id === id);
    if (!tool) throw new UnknownToolError(agent.id, id);
    return tool;
  });
  return runAgentStep(event as AgentStepInput, {
    agent,
    tools,
    converse: env.converse,
    conversations: new ConversationStore(env.state),
    usage: new UsageLedger(env.state),
    ...(before ? { before } : {}),
    ...(env.knowledge ? { knowledge: env.knowledge } : {}),
    ...(env.onModelCall ? { onModelCall: env.onModelCall } : {}),
    ...(env.resolveInput ? { resolveInput: env.resolveInput } : {}),
  });
}
