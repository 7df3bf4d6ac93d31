import { selectPath } from '../io';
import type { StateEnv, StateStep } from '../step';
import type { JsonValue, StateDefinition } from '../types';

/** Succeed: ends the branch with InputPath/OutputPath applied. */
export function enterSucceed(state: StateDefinition, rawInput: JsonValue, _env: StateEnv): StateStep {
  const input = selectPath(state.InputPath, rawInput, 'InputPath');
  return { kind: 'next', next: null, output: selectPath(state.OutputPath, input, 'OutputPath') };
}
