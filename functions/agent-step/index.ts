/**
 * `aios-agent-step`: one think step of an agent in the compiled agent loop.
 * Thin: middy, then `handleAgentStep` over the adapters the composition root
 * builds from the environment (definition, tables, Bedrock client, knowledge, audit).
 */
import middy from '@middy/core';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import type { AgentStepOutput } from '../../shared/agents/step-contract';
import { runLogging } from '../run-logging';
import { agentStepEnvironment } from './agent-step-environment';
import { handleAgentStep } from './agent-step-handler';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy<unknown, AgentStepOutput>().use(runLogging()).handler((event) => handleAgentStep(event, agentStepEnvironment(env)));
}

export const handler = createHandler(parseEnvironment(process.env));
