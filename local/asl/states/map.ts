import { StatesRuntimeError } from '../errors';
import { selectPath } from '../io';
import { NOT_FOUND, queryPath } from '../paths';
import { applyTemplate } from '../payload-template';
import type { StateEnv, StateStep } from '../step';
import type { ContextObject, JsonValue, MachineDefinition, StateDefinition } from '../types';

function numberFrom(state: StateDefinition, field: 'MaxConcurrency' | 'ToleratedFailureCount' | 'ToleratedFailurePercentage', input: JsonValue): number | null {
  const fixed = state[field];
  if (fixed !== undefined) return fixed;
  const path = state[`${field}Path`];
  if (path === undefined) return null;
  const value = queryPath(path, input);
  if (value === NOT_FOUND || typeof value !== 'number' || value < 0) {
    throw new StatesRuntimeError(`The ${field}Path '${path}' must select a non-negative number in '${JSON.stringify(input)}'`);
  }
  return value;
}

/** The iteration's definition (ItemProcessor, or the older Iterator). */
export function mapProcessor(state: StateDefinition): MachineDefinition {
  return (state.ItemProcessor ?? state.Iterator)!;
}

/** Map (inline): one iteration per item of ItemsPath. */
export function enterMap(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  const input = selectPath(state.InputPath, rawInput, 'InputPath', env.context as unknown as JsonValue);
  const items = selectPath(state.ItemsPath ?? '$', input, 'ItemsPath', env.context as unknown as JsonValue);
  if (!Array.isArray(items)) {
    throw new StatesRuntimeError(`Items of a Map state must be an array; ItemsPath '${state.ItemsPath ?? '$'}' selected ${JSON.stringify(items)}`);
  }
  return {
    kind: 'map',
    input,
    items,
    maxConcurrency: numberFrom(state, 'MaxConcurrency', input) ?? 0,
    toleratedCount: numberFrom(state, 'ToleratedFailureCount', input),
    toleratedPercentage: numberFrom(state, 'ToleratedFailurePercentage', input),
  };
}

/** One iteration's input: ItemSelector (or legacy Parameters) with `$$.Map.Item`, else the item. */
export function mapItemInput(state: StateDefinition, mapInput: JsonValue, item: JsonValue, index: number, context: ContextObject): JsonValue {
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector === undefined) return item;
  const ctx: ContextObject = { ...context, Map: { Item: { Index: index, Value: item, Source: 'STATE_DATA' } } };
  return applyTemplate(selector, mapInput, ctx as unknown as JsonValue);
}

/** Whether `failed` failures out of `total` exceed the tolerated threshold. */
export function exceedsTolerance(failed: number, total: number, count: number | null, percentage: number | null): boolean {
  if (failed === 0) return false;
  if (count === null && percentage === null) return true;
  // Either threshold crossed fails the Map.
  const overCount = count !== null && failed > count;
  const overPct = percentage !== null && (failed / total) * 100 > percentage;
  return overCount || overPct;
}
