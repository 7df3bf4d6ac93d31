import { StatesRuntimeError } from '../errors';
import { assignFromPaths, selectPath } from '../io';
import { NOT_FOUND } from '../paths';
import { lookupPath } from '../variables';
import type { StateEnv, StateStep } from '../step';
import { parseTimestamp } from '../timestamps';
import type { JsonValue, StateDefinition } from '../types';

function fromPath(path: string, input: JsonValue, env: StateEnv): JsonValue {
  const value = lookupPath(path, input, env.context as unknown as JsonValue);
  if (value === NOT_FOUND) throw new StatesRuntimeError(`Invalid path '${path}': no value in the input '${JSON.stringify(input)}'`);
  return value;
}

/** Wait: until now + Seconds(Path), or until Timestamp(Path); output is the input. */
export function enterWait(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  const input = selectPath(state.InputPath, rawInput, 'InputPath', env.context as unknown as JsonValue);
  let untilMs: number;
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const seconds = state.SecondsPath !== undefined ? fromPath(state.SecondsPath, input, env) : state.Seconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new StatesRuntimeError(`The SecondsPath '${state.SecondsPath}' must select a non-negative integer, got ${JSON.stringify(seconds)}`);
    }
    untilMs = env.now + seconds * 1000;
  } else {
    const stamp = state.TimestampPath !== undefined ? fromPath(state.TimestampPath, input, env) : state.Timestamp;
    const ms = parseTimestamp(stamp);
    if (ms === null) throw new StatesRuntimeError(`The TimestampPath '${state.TimestampPath}' must select an RFC 3339 timestamp, got ${JSON.stringify(stamp)}`);
    untilMs = ms;
  }
  const output = selectPath(state.OutputPath, input, 'OutputPath', env.context as unknown as JsonValue);
  if (state.Assign === undefined) return { kind: 'wait', untilMs, output };
  return { kind: 'wait', untilMs, output, assign: assignFromPaths(state.Assign, input, env.context as unknown as JsonValue) };
}
