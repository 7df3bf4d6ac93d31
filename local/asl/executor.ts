/**
 * The interpreter's core: dispatches by state Type, turns thrown errors into
 * `fail` steps, finishes Task/Parallel/Map states with their results, and
 * applies Retry and Catch. Pure: the engine owns time, storage and I/O.
 */
import { StatesError, toStatesError } from './errors';
import { applyResultPath, assignFromPaths, selectResult, stateOutput } from './io';
import { decideRetry, findCatcher } from './retry';
import { enterChoice } from './states/choice';
import { enterFail } from './states/fail';
import { enterMap } from './states/map';
import { enterParallel } from './states/parallel';
import { enterPass } from './states/pass';
import { enterSucceed } from './states/succeed';
import { enterTask } from './states/task';
import { enterWait } from './states/wait';
import { transition, type StateEnv, type StateStep } from './step';
import type { JsonValue, StateDefinition, StateType } from './types';

type Handler = (state: StateDefinition, rawInput: JsonValue, env: StateEnv) => StateStep;

const HANDLERS: Record<StateType, Handler> = {
  Pass: enterPass,
  Task: enterTask,
  Choice: enterChoice,
  Wait: enterWait,
  Succeed: enterSucceed,
  Fail: enterFail,
  Parallel: enterParallel,
  Map: enterMap,
};

/** Enters a state: returns what the engine must do (never throws). */
export function enterState(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  try {
    return HANDLERS[state.Type](state, rawInput, env);
  } catch (error) {
    return { kind: 'fail', error: toStatesError(error) };
  }
}

/** Finishes a Task, Parallel or Map state with its result (ResultSelector, ResultPath, OutputPath). */
export function completeState(state: StateDefinition, rawInput: JsonValue, result: JsonValue, env: StateEnv): StateStep {
  try {
    const context = env.context as unknown as JsonValue;
    const assign = state.Assign !== undefined ? assignFromPaths(state.Assign, selectResult(state, result, context), context) : undefined;
    return transition(state, stateOutput(state, rawInput, result, context), assign);
  } catch (error) {
    return { kind: 'fail', error: toStatesError(error) };
  }
}

export type ErrorOutcome =
  | { kind: 'retry'; retrierIndex: number; delayMs: number }
  | { kind: 'catch'; next: string; output: JsonValue; catcherIndex: number; assign?: Record<string, JsonValue> }
  | { kind: 'fail'; error: StatesError };

/**
 * What a failed state does next: retry (the caller bumps `attempts[retrierIndex]`),
 * go to a catcher's Next with `{Error, Cause}` at its ResultPath, or fail.
 */
export function recoverFromError(
  state: StateDefinition,
  rawInput: JsonValue,
  error: StatesError,
  attempts: number[],
  random?: () => number,
  context: JsonValue = null,
): ErrorOutcome {
  const retry = decideRetry(state.Retry, error.name, attempts, random);
  if (retry.retry) return { kind: 'retry', retrierIndex: retry.retrierIndex, delayMs: retry.delayMs };
  const catcher = findCatcher(state.Catch, error.name);
  if (!catcher) return { kind: 'fail', error };
  try {
    const errorOutput = { Error: error.name, Cause: error.causeText };
    const catcherIndex = state.Catch!.indexOf(catcher);
    // JSONata catchers are finished asynchronously by the caller (catchJsonataError); this is their default output.
    if (state.QueryLanguage === 'JSONata') return { kind: 'catch', next: catcher.Next, output: errorOutput, catcherIndex };
    const output = applyResultPath(catcher.ResultPath, rawInput, errorOutput);
    const assign = catcher.Assign !== undefined ? assignFromPaths(catcher.Assign, errorOutput, context) : undefined;
    return { kind: 'catch', next: catcher.Next, output, catcherIndex, ...(assign ? { assign } : {}) };
  } catch (pathError) {
    return { kind: 'fail', error: toStatesError(pathError) };
  }
}
