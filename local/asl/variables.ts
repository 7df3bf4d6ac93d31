/**
 * Workflow variables (`Assign`, `$name`): names, size limits, and the JSONPath
 * way of reading them. Scopes live with the engine's frames: the top level is
 * one scope, each Parallel branch and Map iteration another that reads the
 * outer ones and writes only its own.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
import { StatesDataLimitExceededError } from './errors';
import { NOT_FOUND, queryPath } from './paths';
import type { ContextObject, JsonValue } from './types';

/**
 * A variable name: a Unicode identifier (UAX #31: ID_Start, then ID_Continue), at most 80 characters,
 * never the reserved `states` (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 */
const NAME = /^\p{ID_Start}\p{ID_Continue}*$/u;

/** AWS: 256 KiB for one Assign's values, 10 MiB for all of an execution's. */
export const MAX_ASSIGN_BYTES = 256 * 1024;
export const MAX_VARIABLES_BYTES = 10 * 1024 * 1024;

export function variableNameProblem(name: string): string | null {
  if (!NAME.test(name))
    return `The variable name '${name}' is invalid: it must start with a Unicode ID_Start character and continue with ID_Continue characters`;
  if (name === 'states') return "The variable name 'states' is reserved";
  if (name.length > 80) return `The variable name '${name}' is longer than 80 characters`;
  return null;
}

/**
 * Checks one state's assignments against the per-Assign limit and, given the
 * variables already in scope, the per-execution one; returns their serialized
 * form for history.
 */
export function checkAssignment(assigned: Record<string, JsonValue>, inScope?: Record<string, JsonValue>): Record<string, string> {
  const serialized: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(assigned)) {
    serialized[name] = JSON.stringify(value);
    bytes += Buffer.byteLength(serialized[name]) + name.length;
  }
  if (bytes > MAX_ASSIGN_BYTES) {
    throw new StatesDataLimitExceededError(`The state assigned ${bytes} bytes of variables, more than the ${MAX_ASSIGN_BYTES} bytes allowed in one Assign`);
  }
  if (inScope) {
    let total = bytes;
    for (const [name, value] of Object.entries(inScope)) if (!(name in assigned)) total += JSON.stringify(value).length + name.length;
    if (total > MAX_VARIABLES_BYTES)
      throw new StatesDataLimitExceededError(`The execution's variables would take ${total} bytes, more than the ${MAX_VARIABLES_BYTES} bytes allowed`);
  }
  return serialized;
}

const VARIABLES = Symbol('variables');

/**
 * Attaches the variables in scope to a context object. A symbol key: `$$`
 * serialises and copies only string keys, so the variables never show in it.
 */
export function withVariables(context: ContextObject, variables: Record<string, JsonValue> | undefined): ContextObject {
  if (variables) (context as unknown as Record<symbol, unknown>)[VARIABLES] = variables;
  return context;
}

export function variablesOf(context: unknown): Record<string, JsonValue> {
  return ((context as Record<symbol, unknown> | null)?.[VARIABLES] as Record<string, JsonValue> | undefined) ?? {};
}

const VARIABLE_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s;

/**
 * Reads a JSONPath path: `$$…` on the context object, `$name…` on a variable,
 * `$…` on the input. NOT_FOUND when it selects nothing (or names no variable).
 */
export function lookupPath(path: string, input: JsonValue, context: JsonValue): JsonValue | typeof NOT_FOUND {
  if (path.startsWith('$$')) return queryPath(path.slice(1), context);
  const m = VARIABLE_PATH.exec(path);
  if (m) {
    const variables = variablesOf(context);
    if (!Object.prototype.hasOwnProperty.call(variables, m[1])) return NOT_FOUND;
    return queryPath(`$${m[2]}`, variables[m[1]]);
  }
  return queryPath(path, input);
}
