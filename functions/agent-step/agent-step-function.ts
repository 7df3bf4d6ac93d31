/**
 * The agent step's Lambda handler over the part of the definition it reads
 * (agents with their prices, their tools as the model sees them). index.ts gives it
 * the whole definition; a deployment gives it that part, written at synth
 * (infra/definition-entries.ts), so the bundle carries no tool handler.
 */
import type { AgentStepOutput } from '../../shared/agents/step-contract';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';
import { agentStepEnvironment, type AgentStepDefinition, type KnowledgeReaderFactory } from './agent-step-environment';
import { handleAgentStep } from './agent-step-handler';

/** The handler over `definition`, searching the knowledge base `knowledgeReader` makes (with or without embeddings, as built). */
export function agentStepHandler(env: AiosEnvironment, definition: () => AgentStepDefinition, knowledgeReader: KnowledgeReaderFactory) {
  return loggedInvocation(
    (event: unknown): Promise<AgentStepOutput> => handleAgentStep(event, agentStepEnvironment(env, definition(), knowledgeReader)),
    runLogging(),
  );
}
