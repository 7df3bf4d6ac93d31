import { assignFromPaths, effectiveInput, stateOutput } from '../io';
import { transition, type StateEnv, type StateStep } from '../step';
import type { JsonValue, StateDefinition } from '../types';

/** A JSONPath Pass with no paths, Parameters, Result or Assign: its output is its input (most of a long chain). */
export function forwardsItsInput(state: StateDefinition): boolean {
  return (
    state.InputPath === undefined &&
    state.Parameters === undefined &&
    state.Result === undefined &&
    state.ResultPath === undefined &&
    state.OutputPath === undefined &&
    state.Assign === undefined
  );
}

/** Pass: Result (if given) or the effective input becomes the result. */
export function enterPass(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  // A bare Pass forwards its input: skip the pipeline.
  if (forwardsItsInput(state)) return transition(state, rawInput);
  const input = effectiveInput(state, rawInput, env.context as unknown as JsonValue);
  const result = state.Result !== undefined ? state.Result : input;
  const context = env.context as unknown as JsonValue;
  const assign = state.Assign !== undefined ? assignFromPaths(state.Assign, result, context) : undefined;
  return transition(state, stateOutput(state, rawInput, result, context, false), assign);
}
