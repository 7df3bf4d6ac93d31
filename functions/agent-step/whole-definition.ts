/**
 * The agent step's part of a whole definition (the whole-definition entry,
 * the local runtime, scenarios): agents and tools with their zod schemas also
 * as JSON Schema, each agent's price settled, made once per definition. A deployment's own entry gets the
 * same part written at synth (infra/definition-entries.ts) and never loads this.
 */
import { agentForModel, toolForModel } from '../../shared/agents/json-schema';
import { agentPrice } from '../../shared/agents/prices';
import type { ValidOs } from '../../shared/definition';
import type { AgentStepDefinition } from './agent-step-environment';

const converted = new WeakMap<ValidOs, AgentStepDefinition>();

export function agentStepDefinitionOf(os: ValidOs): AgentStepDefinition {
  let definition = converted.get(os);
  if (!definition) {
    definition = { agents: os.agents.map((a) => ({ ...agentForModel(a), price: agentPrice(a, os.prices) })), tools: os.tools.map(toolForModel) };
    converted.set(os, definition);
  }
  return definition;
}
