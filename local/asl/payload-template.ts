/**
 * Payload templates (Parameters, ItemSelector, ResultSelector): keys ending in
 * `.$` take their value from a path on the input, a `$$` path on the context
 * object, or an intrinsic function call.
 */
import { StatesParameterPathFailureError, StatesRuntimeError } from './errors';
import { evaluateIntrinsic, looksLikeIntrinsic } from './intrinsics';
import { NOT_FOUND } from './paths';
import { lookupPath } from './variables';
import type { JsonValue } from './types';

/** Resolves a `.$` value: `$$…` on the context, `$…` on the input, or an intrinsic. */
export function resolveDynamic(field: string, expr: string, input: JsonValue, context: JsonValue): JsonValue {
  if (looksLikeIntrinsic(expr)) return evaluateIntrinsic(expr, input, context);
  const onContext = expr.startsWith('$$');
  const value = lookupPath(expr, input, context);
  if (value === NOT_FOUND) {
    // The States Language spec names this States.ParameterPathFailure; AWS fails the state with
    // States.Runtime (recorded executions), which no Retry or Catch handles.
    throw new StatesRuntimeError(
      `The JSONPath '${expr}' specified for the field '${field}' could not be found in the ${onContext ? 'context object' : expr.startsWith('$.') || expr === '$' || expr.startsWith('$[') ? 'input' : 'variables'} '${JSON.stringify(onContext ? context : input)}'`,
    );
  }
  return value;
}

/** Applies a payload template; non-object templates are returned as they are. */
export function applyTemplate(template: JsonValue, input: JsonValue, context: JsonValue): JsonValue {
  if (Array.isArray(template)) return template.map((t) => applyTemplate(t, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') throw new StatesParameterPathFailureError(`The value of field '${key}' must be a string path or intrinsic function`);
      out[key.slice(0, -2)] = resolveDynamic(key, value, input, context);
    } else {
      out[key] = applyTemplate(value, input, context);
    }
  }
  return out;
}
