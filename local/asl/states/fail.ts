import { StatesRuntimeError, TaskError } from '../errors';
import { evaluateIntrinsic, looksLikeIntrinsic } from '../intrinsics';
import { NOT_FOUND } from '../paths';
import { lookupPath } from '../variables';
import type { StateEnv, StateStep } from '../step';
import type { JsonValue, StateDefinition } from '../types';

function dynamic(field: string, expr: string, rawInput: JsonValue, env: StateEnv): string {
  const context = env.context as unknown as JsonValue;
  const value = looksLikeIntrinsic(expr) ? evaluateIntrinsic(expr, rawInput, context) : lookupPath(expr, rawInput, context);
  if (value === NOT_FOUND || typeof value !== 'string') {
    throw new StatesRuntimeError(`The ${field} '${expr}' must select a string in the state input '${JSON.stringify(rawInput)}'`);
  }
  return value;
}

/** Fail: stops the branch with Error and Cause (or their Path forms, evaluated on the state input). */
export function enterFail(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  const error = state.ErrorPath !== undefined ? dynamic('ErrorPath', state.ErrorPath, rawInput, env) : (state.Error ?? '');
  const cause = state.CausePath !== undefined ? dynamic('CausePath', state.CausePath, rawInput, env) : (state.Cause ?? '');
  return { kind: 'fail', error: new TaskError(error, cause) };
}
