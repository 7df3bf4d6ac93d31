import { selectPath } from '../io';
import type { StateEnv, StateStep } from '../step';
import type { JsonValue, StateDefinition } from '../types';

/** Succeed: ends the branch with InputPath/OutputPath applied. */
export function enterSucceed(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  const input = selectPath(state.InputPath, rawInput, 'InputPath', env.context as unknown as JsonValue);
  return { kind: 'next', next: null, output: selectPath(state.OutputPath, input, 'OutputPath', env.context as unknown as JsonValue) };
}
