/**
 * `aios-agent-step`: one think step of an agent in the compiled agent loop,
 * over the whole definition. Thin: middy, then `handleAgentStep` over the
 * environment built from the process (tables, Bedrock client, knowledge, audit).
 */
import { currentOs } from '../current-os';
import { agentStepHandler } from './agent-step-function';

export const handler = agentStepHandler(currentOs);
