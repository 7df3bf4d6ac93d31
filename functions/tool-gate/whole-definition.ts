/**
 * The gate's part of a whole definition (the whole-definition entry, the
 * local runtime), its rules compiled once per definition. A deployment's own
 * entry gets the same part written at synth (infra/definition-entries.ts).
 */
import type { ValidOs } from '../../shared/definition';
import { compileRules } from '../../shared/rights/compiled-rules';
import type { GateDefinition } from './gate-function';

const compiled = new WeakMap<ValidOs, GateDefinition>();

export function gateDefinitionOf(os: ValidOs): GateDefinition {
  let definition = compiled.get(os);
  if (!definition) {
    definition = { rules: compileRules(os.rules, os.people), tools: os.tools, agents: os.agents, facts: os.facts, lists: os.lists };
    compiled.set(os, definition);
  }
  return definition;
}
