import { effectiveInput } from '../io';
import type { StateEnv, StateStep } from '../step';
import type { JsonValue, StateDefinition } from '../types';

/** Parallel: every branch receives the effective input; results arrive as an array in branch order. */
export function enterParallel(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  const input = effectiveInput(state, rawInput, env.context as unknown as JsonValue);
  return { kind: 'parallel', input, branchCount: state.Branches?.length ?? 0 };
}
