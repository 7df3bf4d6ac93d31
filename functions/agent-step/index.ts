/**
 * `aios-agent-step`: one think step of an agent in the compiled agent loop,
 * over the whole definition. Thin: middy, then `handleAgentStep` over the
 * adapters the composition root builds from the environment (tables, Bedrock
 * client, knowledge, audit).
 */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { knowledgeReader } from '../../shared/composition/knowledge-reader';
import { currentOs } from '../current-os';
import { agentStepHandler } from './agent-step-function';
import { agentStepDefinitionOf } from './whole-definition';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return agentStepHandler(env, () => agentStepDefinitionOf(currentOs(env.vars)), knowledgeReader);
}

export const handler = createHandler(parseEnvironment(process.env));
