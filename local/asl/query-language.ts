/**
 * Which query language each state speaks. A state's own `QueryLanguage` wins,
 * else its state machine's (Map item processors and Parallel branches are
 * state machines of their own and inherit the top level when silent).
 */
import type { MachineDefinition, StateDefinition } from './types';

export type QueryLanguage = 'JSONPath' | 'JSONata';

export function isJsonata(state: StateDefinition): boolean {
  return state.QueryLanguage === 'JSONata';
}

/** Writes the resolved language on every state (once, when the parsed definition is cached). */
export function resolveQueryLanguages(def: MachineDefinition, inherited: QueryLanguage = 'JSONPath'): MachineDefinition {
  const machineLanguage = (def.QueryLanguage as QueryLanguage | undefined) ?? inherited;
  for (const state of Object.values(def.States ?? {})) {
    state.QueryLanguage ??= machineLanguage;
    for (const branch of state.Branches ?? []) resolveQueryLanguages(branch, machineLanguage);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) resolveQueryLanguages(processor, machineLanguage);
  }
  return def;
}
