/**
 * The agent step's part of a whole definition (the whole-definition entry,
 * the local runtime, scenarios): agents and tools with their zod schemas also
 * as JSON Schema, made once per definition. A deployment's own entry gets the
 * same part written at synth (infra/definition-entries.ts) and never loads this.
 */
import { agentForModel, toolForModel } from '../../shared/agents/json-schema';
import type { ValidOs } from '../../shared/definition';
import type { AgentStepDefinition } from './agent-step-environment';

const converted = new WeakMap<ValidOs, AgentStepDefinition>();

export function agentStepDefinitionOf(os: ValidOs): AgentStepDefinition {
  let definition = converted.get(os);
  if (!definition) {
    definition = { agents: os.agents.map(agentForModel), tools: os.tools.map(toolForModel), prices: os.prices };
    converted.set(os, definition);
  }
  return definition;
}
