/**
 * JSONata expressions as Step Functions writes them: a string `{% … %}` in any
 * field that takes a value. Parsing is synchronous (definitions are checked
 * at CreateStateMachine); evaluation is asynchronous (jsonata 2.x), so the
 * engine runs it outside its transaction.
 */
import jsonata from 'jsonata';
import { StatesError } from '../errors';
import type { JsonValue } from '../types';
import { registerStepFunctionsFunctions } from './functions';
import { topLevelReferences } from './top-level-references';

export class StatesQueryEvaluationError extends StatesError {
  /** The field that failed (`Arguments/Input/x`), as EvaluationFailed's `location` shows it. */
  readonly location?: string;

  constructor(cause: string, location?: string) {
    super('States.QueryEvaluationError', cause);
    if (location !== undefined) this.location = location;
  }
}

/** True when a string value is a JSONata expression (`{% … %}`). */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/** The expression between `{%` and `%}`. */
export function expressionBody(value: string): string {
  return value.slice(2, -2).trim();
}

const compiled = new Map<string, jsonata.Expression>();

/** AWS: "A JSONata expression that takes longer than 1 second to evaluate will fail with an `Expression evaluation timeout` error". */
export const EXPRESSION_TIMEOUT_MS = 1000;

/** What jsonata hands the entry callback: the frame of the node being entered. */
interface EvaluationFrame {
  /** Set by jsonata when an evaluation starts (what `$now()` reads) and copied into every frame created beneath it. */
  timestamp?: Date | null;
}

/**
 * Called by jsonata on entering every node: past the deadline the evaluation stops. Without it a
 * runaway expression (jsonata turns tail recursion into a loop of microtasks) would starve the event loop.
 * The deadline is read from the frame itself (its evaluation's start), not from an AsyncLocalStorage: one
 * of those turns on promise hooks that every promise of the process then pays for.
 */
function checkDeadline(_node: unknown, _input: unknown, frame: EvaluationFrame | undefined): void {
  const started = frame?.timestamp;
  if (started && Date.now() > started.getTime() + EXPRESSION_TIMEOUT_MS) throw Object.assign(new Error('Expression evaluation timeout'), { code: 'SFN' });
}

/** Compiles (once) an expression body with Step Functions' functions; throws JSONata's syntax error. */
export function compileExpression(body: string): jsonata.Expression {
  let expression = compiled.get(body);
  if (!expression) {
    expression = jsonata(body);
    registerStepFunctionsFunctions(expression);
    expression.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, checkDeadline);
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(body, expression);
  }
  return expression;
}

/** What CreateStateMachine reports for an expression: AWS's diagnostic code and message. */
export interface ExpressionProblem {
  code: 'INVALID_JSONATA_EXPRESSION' | 'UNSUPPORTED_JSONATA_EXPRESSION';
  message: string;
}

/**
 * Why an expression cannot be stored, or null. AWS answers a parse failure with
 * the parser's message (its code dropped) and a top-level reference with
 * "Reference to 'x' at the top level is not supported." `$eval` is not refused
 * here: AWS accepts the definition and the call fails when it runs (T1006).
 */
export function expressionProblem(body: string): ExpressionProblem | null {
  let root: jsonata.ExprNode;
  try {
    root = compileExpression(body).ast();
  } catch (error) {
    return { code: 'INVALID_JSONATA_EXPRESSION', message: (error as { message?: string }).message ?? String(error) };
  }
  const [first] = topLevelReferences(root);
  if (first !== undefined) return { code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: `Reference to '${first}' at the top level is not supported.` };
  return null;
}

/** What an expression can read: `$states` and the workflow variables in scope. */
export interface QueryBindings {
  states: { input: JsonValue; context: JsonValue; result?: JsonValue; errorOutput?: JsonValue };
  variables: Record<string, JsonValue>;
}

/**
 * The tail of AWS's "threw an error during evaluation" sentence: `. T0412: <message>`
 * when JSONata gave the error a code, `: <message>` otherwise (recorded AWS causes).
 * JSONata throws plain objects (`{ code, message?, token }`) as often as Errors.
 */
function jsonataErrorTail(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; code?: unknown; token?: unknown };
    const code = typeof e.code === 'string' && /^[A-Z]\d{4}$/.test(e.code) ? e.code : undefined;
    const message = typeof e.message === 'string' && e.message ? e.message : `JSONata error${e.token !== undefined ? ` at '${String(e.token)}'` : ''}`;
    return code ? `. ${code}: ${message}` : `: ${message}`;
  }
  return `: ${String(error)}`;
}

/** JSONata sequences are arrays with a flag; functions and undefined are not JSON. */
function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined || typeof value === 'function') return undefined;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/**
 * Evaluates one `{% … %}` string. `field` is where it sits (`Arguments/Input/x`),
 * named in the Cause as AWS names it.
 */
export async function evaluateExpression(text: string, bindings: QueryBindings, field: string): Promise<JsonValue> {
  const body = expressionBody(text);
  let value: unknown;
  try {
    const expression = compileExpression(body);
    // Bindings always given: jsonata then evaluates in a frame of its own, stamped with this evaluation's start (checkDeadline).
    value = await expression.evaluate(undefined, { ...bindings.variables, states: bindings.states });
  } catch (error) {
    throw new StatesQueryEvaluationError(
      `The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation${jsonataErrorTail(error)}`,
      field,
    );
  }
  const json = toJson(value);
  if (json === undefined) {
    throw new StatesQueryEvaluationError(`The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`, field);
  }
  return json;
}

/** Evaluates every `{% … %}` string inside a JSON value (Arguments, Output, Assign, ItemSelector…). */
export async function evaluateTemplate(template: JsonValue, bindings: QueryBindings, field: string): Promise<JsonValue> {
  if (isJsonataExpression(template)) return evaluateExpression(template, bindings, field);
  if (Array.isArray(template)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < template.length; i++) out.push(await evaluateTemplate(template[i], bindings, `${field}[${i}]`));
    return out;
  }
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(template)) out[key] = await evaluateTemplate(value, bindings, `${field}/${key}`);
  return out;
}

/** Every `{% … %}` string inside a JSON value, with its location. */
export function* expressionsIn(value: unknown, location: string): Generator<{ text: string; location: string }> {
  if (isJsonataExpression(value)) yield { text: value, location };
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* expressionsIn(value[i], `${location}/${i}`);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* expressionsIn(v, `${location}/${k}`);
}
