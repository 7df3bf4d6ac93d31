import type { StatesError } from './errors';
import type { ContextObject, JsonValue } from './types';

/** A Lambda invocation a Task state asks the engine to make. */
export interface TaskCall {
  functionName: string;
  /** The event handed to the function. */
  payload: JsonValue;
  /** `invoke`: the result is wrapped as lambda:invoke returns it (unless waiting for a token). */
  kind: 'direct' | 'invoke';
  waitForTaskToken: boolean;
  timeoutSeconds: number | null;
  heartbeatSeconds: number | null;
}

/** What entering (or finishing) a state asks the engine to do next. */
export type StateStep =
  /** Transition; `next: null` ends the branch (or the execution) with `output`. */
  | { kind: 'next'; next: string | null; output: JsonValue; assign?: Record<string, JsonValue> }
  | { kind: 'fail'; error: StatesError }
  | { kind: 'wait'; untilMs: number; output: JsonValue; assign?: Record<string, JsonValue> }
  | { kind: 'task'; call: TaskCall }
  | { kind: 'parallel'; input: JsonValue; branchCount: number }
  | {
      kind: 'map';
      input: JsonValue;
      items: JsonValue[];
      maxConcurrency: number;
      toleratedCount: number | null;
      toleratedPercentage: number | null;
      /** JSONata: every iteration's input, ItemSelector already applied (evaluating it is asynchronous). */
      itemInputs?: JsonValue[];
    };

/** Everything a state handler needs besides its definition and raw input. */
export interface StateEnv {
  context: ContextObject;
  now: number;
}

/** The transition after a state that produced `output`. */
export function transition(state: { Next?: string; End?: boolean }, output: JsonValue, assign?: Record<string, JsonValue>): StateStep {
  return assign
    ? { kind: 'next', next: state.End ? null : (state.Next ?? null), output, assign }
    : { kind: 'next', next: state.End ? null : (state.Next ?? null), output };
}
