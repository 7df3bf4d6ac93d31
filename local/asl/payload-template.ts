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

/** One field of a template object: the key it writes, and either the path or intrinsic it reads (`.$`) or the template of its value. */
interface TemplateField {
  /** The key as written in the template (named in errors). */
  key: string;
  /** The key of the output: `key` without its `.$`. */
  out: string;
  dynamic: boolean;
  value: JsonValue;
}

/**
 * The fields of each template object met so far. A definition's templates are applied once per state entered (every item
 * of a Map), and listing their entries and cutting `.$` off their keys each time was garbage per application; definitions
 * are never changed once parsed.
 */
const fieldsOf = new WeakMap<object, TemplateField[]>();

function templateFields(template: Record<string, JsonValue>): TemplateField[] {
  let fields = fieldsOf.get(template);
  if (!fields) {
    fields = Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') ? { key, out: key.slice(0, -2), dynamic: true, value } : { key, out: key, dynamic: false, value },
    );
    fieldsOf.set(template, fields);
  }
  return fields;
}

/** Applies a payload template; non-object templates are returned as they are. */
export function applyTemplate(template: JsonValue, input: JsonValue, context: JsonValue): JsonValue {
  if (Array.isArray(template)) return template.map((t) => applyTemplate(t, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, JsonValue> = {};
  for (const field of templateFields(template)) {
    const value = field.value;
    if (field.dynamic) {
      if (typeof value !== 'string') throw new StatesParameterPathFailureError(`The value of field '${field.key}' must be a string path or intrinsic function`);
      out[field.out] = resolveDynamic(field.key, value, input, context);
    } else {
      out[field.out] = applyTemplate(value, input, context);
    }
  }
  return out;
}
