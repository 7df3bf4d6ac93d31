/**
 * `aios-agent-step`: one think step of an agent in the compiled agent loop.
 * Thin: middy, then `handleAgentStep` over the environment built from
 * the process (definition, tables, Bedrock client, knowledge, audit).
 */
import middy from '@middy/core';
import { runLogging } from '../run-logging';
import type { AgentStepOutput } from '../../shared/agents/step-contract';
import { defaultAgentStepEnvironment } from './agent-step-environment';
import { handleAgentStep } from './agent-step-handler';

export const handler = middy<unknown, AgentStepOutput>().use(runLogging()).handler((event) => handleAgentStep(event, defaultAgentStepEnvironment()));
