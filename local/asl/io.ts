/**
 * The input/output pipeline around every state:
 * InputPath → Parameters → (state) → ResultSelector → ResultPath → OutputPath.
 */
import { StatesResultPathMatchFailureError, StatesRuntimeError } from './errors';
import { applyTemplate } from './payload-template';
import { NOT_FOUND, queryPath, setAtPath } from './paths';
import type { JsonValue, StateDefinition } from './types';
import { checkAssignment, lookupPath, variablesOf } from './variables';

/**
 * InputPath/OutputPath/ItemsPath: `null` gives `{}`, a path that selects
 * nothing is States.Runtime. As on AWS, a path may also start at the context
 * object (`$$.Execution.Input`) or a variable (`$order.id`).
 */
export function selectPath(
  path: string | null | undefined,
  value: JsonValue,
  field: 'InputPath' | 'OutputPath' | 'ItemsPath',
  context: JsonValue = null,
): JsonValue {
  if (path === undefined || path === '$') return value;
  if (path === null) return {};
  const selected = readsBeyondInput(path) ? lookupPath(path, value, context) : queryPath(path, value);
  if (selected === NOT_FOUND) {
    throw new StatesRuntimeError(`Invalid path '${path}' : The ${field} could not be found in the input '${JSON.stringify(value)}'`);
  }
  return selected;
}

/** True for a path that reads the context object or a variable rather than the input. */
export function readsBeyondInput(path: string | null | undefined): boolean {
  return typeof path === 'string' && path.length > 1 && path[1] !== '.' && path[1] !== '[';
}

/** InputPath then Parameters: the state's effective input. */
export function effectiveInput(state: StateDefinition, rawInput: JsonValue, context: JsonValue): JsonValue {
  const selected = selectPath(state.InputPath, rawInput, 'InputPath', context);
  return state.Parameters !== undefined ? applyTemplate(state.Parameters, selected, context) : selected;
}

/**
 * JSONPath Assign: a payload template whose `$` is the state's result (after
 * ResultSelector; the input for Choice and Wait, `{Error, Cause}` in a Catch),
 * with `$$` and `$name` as everywhere. Evaluated before ResultPath.
 */
export function assignFromPaths(assign: JsonValue, value: JsonValue, context: JsonValue): Record<string, JsonValue> {
  const evaluated = applyTemplate(assign, value, context);
  if (evaluated === null || typeof evaluated !== 'object' || Array.isArray(evaluated)) throw new StatesRuntimeError('Assign must be a JSON object');
  checkAssignment(evaluated, variablesOf(context));
  return evaluated;
}

/** The result after ResultSelector. */
export function selectResult(state: StateDefinition, result: JsonValue, context: JsonValue): JsonValue {
  return state.ResultSelector !== undefined ? applyTemplate(state.ResultSelector, result, context) : result;
}

/** ResultSelector, ResultPath (merged into the RAW state input) and OutputPath. */
export function stateOutput(state: StateDefinition, rawInput: JsonValue, result: JsonValue, context: JsonValue, applySelector = true): JsonValue {
  const selected = applySelector && state.ResultSelector !== undefined ? applyTemplate(state.ResultSelector, result, context) : result;
  const merged = applyResultPath(state.ResultPath, rawInput, selected);
  return selectPath(state.OutputPath, merged, 'OutputPath', context);
}

/** ResultPath: `$` (default) replaces, `null` discards the result, a reference path inserts it. */
export function applyResultPath(path: string | null | undefined, rawInput: JsonValue, result: JsonValue): JsonValue {
  if (path === undefined || path === '$') return result;
  if (path === null) return rawInput;
  const merged = setAtPath(path, rawInput, result);
  if (merged === null) {
    throw new StatesResultPathMatchFailureError(`Unable to apply ResultPath '${path}' to input '${JSON.stringify(rawInput)}'`);
  }
  return merged;
}
