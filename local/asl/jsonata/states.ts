/**
 * JSONata states: `Arguments`, `Output`, `Assign`, `Items`, `Condition` and
 * the other fields that take `{% … %}`. Each function is the asynchronous twin
 * of a JSONPath step in executor.ts; it never throws (errors become `fail`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { StatesNoChoiceMatchedError, TaskError, toStatesError, type StatesError } from '../errors';
import { mapProcessor } from '../states/map';
import { taskCall } from '../states/task';
import { transition, type StateEnv, type StateStep } from '../step';
import { parseTimestamp } from '../timestamps';
import type { Catcher, ChoiceRule, ContextObject, JsonValue, StateDefinition } from '../types';
import { checkAssignment, variablesOf } from '../variables';
import { evaluateTemplate, expressionBody, isJsonataExpression, StatesQueryEvaluationError, type QueryBindings } from './expression';

function bindings(env: StateEnv, input: JsonValue, extra: Partial<QueryBindings['states']> = {}, context: ContextObject = env.context): QueryBindings {
  return { states: { input, context: context as unknown as JsonValue, ...extra }, variables: variablesOf(env.context) };
}

async function value(field: JsonValue | undefined, fallback: JsonValue, b: QueryBindings, name: string): Promise<JsonValue> {
  return field === undefined ? fallback : evaluateTemplate(field, b, name);
}

/** Assign: every value reads the variables as they were when the state began. */
async function assignments(assign: Record<string, JsonValue> | undefined, b: QueryBindings, field = 'Assign'): Promise<Record<string, JsonValue> | undefined> {
  if (assign === undefined) return undefined;
  const evaluated = await evaluateTemplate(assign, b, field);
  if (evaluated === null || typeof evaluated !== 'object' || Array.isArray(evaluated))
    throw new StatesQueryEvaluationError(`The field '${field}' must evaluate to a JSON object`);
  checkAssignment(evaluated, b.variables);
  return evaluated;
}

async function integer(field: JsonValue | undefined, b: QueryBindings, name: string, min: number): Promise<number | null> {
  if (field === undefined) return null;
  const v = isJsonataExpression(field) ? await evaluateTemplate(field, b, name) : field;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new StatesQueryEvaluationError(`The field '${name}' must be an integer of at least ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

async function choose(state: StateDefinition, input: JsonValue, env: StateEnv): Promise<StateStep> {
  const b = bindings(env, input);
  for (const [i, rule] of (state.Choices ?? []).entries()) {
    const condition = (rule as ChoiceRule).Condition as JsonValue;
    const matched = isJsonataExpression(condition) ? await evaluateTemplate(condition, b, `Choices[${i}]/Condition`) : condition;
    if (typeof matched !== 'boolean')
      throw new StatesQueryEvaluationError(`The Condition of choice rule ${i} must evaluate to a boolean, got ${JSON.stringify(matched)}`);
    if (!matched) continue;
    const output = await value(rule.Output as JsonValue | undefined, input, b, `Choices[${i}]/Output`);
    return {
      kind: 'next',
      next: rule.Next ?? null,
      output,
      assign: await assignments(rule.Assign as Record<string, JsonValue> | undefined, b, `Choices[${i}]/Assign`),
    };
  }
  if (state.Default === undefined) {
    return {
      kind: 'fail',
      error: new StatesNoChoiceMatchedError(`No Matches! for input '${JSON.stringify(input)}' in state '${env.context.State?.Name ?? ''}'`),
    };
  }
  return { kind: 'next', next: state.Default, output: await value(state.Output, input, b, 'Output'), assign: await assignments(state.Assign, b) };
}

async function waitUntil(state: StateDefinition, input: JsonValue, env: StateEnv): Promise<StateStep> {
  const b = bindings(env, input);
  let untilMs: number;
  if (state.Seconds !== undefined) {
    const seconds = await integer(state.Seconds as JsonValue, b, 'Seconds', 0);
    untilMs = env.now + seconds! * 1000;
  } else {
    const stamp = isJsonataExpression(state.Timestamp) ? await evaluateTemplate(state.Timestamp, b, 'Timestamp') : (state.Timestamp ?? null);
    const ms = parseTimestamp(stamp);
    if (ms === null) throw new StatesQueryEvaluationError(`The field 'Timestamp' must be an RFC 3339 timestamp, got ${JSON.stringify(stamp)}`);
    untilMs = ms;
  }
  const [output, assign] = await Promise.all([value(state.Output, input, b, 'Output'), assignments(state.Assign, b)]);
  return { kind: 'wait', untilMs, output, ...(assign ? { assign } : {}) };
}

async function map(state: StateDefinition, input: JsonValue, env: StateEnv): Promise<StateStep> {
  const b = bindings(env, input);
  const items = await value(state.Items, input, b, 'Items');
  if (!Array.isArray(items)) {
    // AWS's wording (recorded executions): "... returned an unexpected result type. Expected 'array', but was 'number' for value: 1".
    const was = items === null ? 'null' : typeof items === 'object' ? 'object' : typeof items;
    const what = isJsonataExpression(state.Items)
      ? `The JSONata expression '${expressionBody(state.Items)}' specified for the field 'Items'`
      : "The field 'Items'";
    throw new StatesQueryEvaluationError(
      `${what} returned an unexpected result type. Expected 'array', but was '${was}' for value: ${JSON.stringify(items)}`,
      'Items',
    );
  }
  const itemInputs: JsonValue[] = [];
  for (const [index, item] of items.entries()) {
    if (state.ItemSelector === undefined) {
      itemInputs.push(item);
      continue;
    }
    const context: ContextObject = { ...env.context, Map: { Item: { Index: index, Value: item, Source: 'STATE_DATA' } } };
    itemInputs.push(await evaluateTemplate(state.ItemSelector, bindings(env, input, {}, context), 'ItemSelector'));
  }
  mapProcessor(state);
  return {
    kind: 'map',
    input,
    items,
    itemInputs,
    maxConcurrency: (await integer(state.MaxConcurrency as JsonValue, b, 'MaxConcurrency', 0)) ?? 0,
    toleratedCount: await integer(state.ToleratedFailureCount as JsonValue, b, 'ToleratedFailureCount', 0),
    toleratedPercentage: await integer(state.ToleratedFailurePercentage as JsonValue, b, 'ToleratedFailurePercentage', 0),
  };
}

async function enter(state: StateDefinition, input: JsonValue, env: StateEnv): Promise<StateStep> {
  const b = bindings(env, input);
  switch (state.Type) {
    case 'Pass': {
      const [output, assign] = await Promise.all([value(state.Output, input, b, 'Output'), assignments(state.Assign, b)]);
      return transition(state, output, assign);
    }
    case 'Succeed':
      return { kind: 'next', next: null, output: await value(state.Output, input, b, 'Output') };
    case 'Fail': {
      const error = await value(state.Error as JsonValue | undefined, '', b, 'Error');
      const cause = await value(state.Cause as JsonValue | undefined, '', b, 'Cause');
      if (typeof error !== 'string' || typeof cause !== 'string') throw new StatesQueryEvaluationError('The fields Error and Cause must evaluate to strings');
      return { kind: 'fail', error: new TaskError(error, cause) };
    }
    case 'Choice':
      return choose(state, input, env);
    case 'Wait':
      return waitUntil(state, input, env);
    case 'Task': {
      const args = await value(state.Arguments, input, b, 'Arguments');
      const timeout = await integer(state.TimeoutSeconds as JsonValue, b, 'TimeoutSeconds', 1);
      const heartbeat = await integer(state.HeartbeatSeconds as JsonValue, b, 'HeartbeatSeconds', 1);
      return { kind: 'task', call: taskCall(state, args, timeout, heartbeat) };
    }
    case 'Parallel':
      return { kind: 'parallel', input: await value(state.Arguments, input, b, 'Arguments'), branchCount: state.Branches?.length ?? 0 };
    case 'Map':
      return map(state, input, env);
  }
}

/** Enters a JSONata state. */
export async function enterJsonataState(state: StateDefinition, rawInput: JsonValue, env: StateEnv): Promise<StateStep> {
  try {
    return await enter(state, rawInput, env);
  } catch (error) {
    return { kind: 'fail', error: toStatesError(error) };
  }
}

/** Finishes a JSONata Task, Parallel or Map with its result: Output (default `$states.result`) and Assign. */
export async function completeJsonataState(state: StateDefinition, rawInput: JsonValue, result: JsonValue, env: StateEnv): Promise<StateStep> {
  try {
    const b = bindings(env, rawInput, { result });
    const [output, assign] = await Promise.all([value(state.Output, result, b, 'Output'), assignments(state.Assign, b)]);
    return transition(state, output, assign);
  } catch (error) {
    return { kind: 'fail', error: toStatesError(error) };
  }
}

export type JsonataCatchOutcome = { kind: 'catch'; next: string; output: JsonValue; assign?: Record<string, JsonValue> } | { kind: 'fail'; error: StatesError };

/** A JSONata catcher's Output (default `$states.errorOutput`) and Assign. */
export async function catchJsonataError(catcher: Catcher, rawInput: JsonValue, error: StatesError, env: StateEnv): Promise<JsonataCatchOutcome> {
  const errorOutput = { Error: error.name, Cause: error.causeText };
  try {
    const b = bindings(env, rawInput, { errorOutput });
    const [output, assign] = await Promise.all([value(catcher.Output, errorOutput, b, 'Catch/Output'), assignments(catcher.Assign, b, 'Catch/Assign')]);
    return { kind: 'catch', next: catcher.Next, output, ...(assign ? { assign } : {}) };
  } catch (failure) {
    return { kind: 'fail', error: toStatesError(failure) };
  }
}
