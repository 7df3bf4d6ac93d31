/**
 * What a state reads besides its input: the context object `$$` (execution,
 * state, state machine, task token) and the workflow variables in scope.
 */
import type { StateEnv } from '../asl/step';
import type { ContextObject, JsonValue } from '../asl/types';
import { withVariables } from '../asl/variables';
import type { Frame } from './frame';
import type { Run } from './run';

/** Stands in for `$$` where a state cannot read it. */
export const NO_CONTEXT = Object.freeze({}) as ContextObject;

/** The state's environment. (A lazy `$$` getter measured slower: V8 deoptimises the accessor object.) */
export function stateEnv(run: Run, frame: Frame, now: number, token?: string): StateEnv {
  return { now, context: contextObject(run, frame, token) };
}

export function contextObject(run: Run, frame: Frame, token?: string): ContextObject {
  const ctx: ContextObject = {
    Execution: run.ctxExecution,
    State: { EnteredTime: frame.data.enteredTime, Name: frame.data.state, RetryCount: frame.data.retryCount },
    StateMachine: run.ctxMachine,
  };
  if (token !== undefined) ctx.Task = { Token: token };
  return withVariables(ctx, variablesFor(frame));
}

/** The variables a frame reads: its own over its parents' (a branch or iteration shadows, never writes, outer ones). */
function variablesFor(frame: Frame): Record<string, JsonValue> | undefined {
  let own: Record<string, JsonValue> | undefined;
  let merged: Record<string, JsonValue> | undefined;
  for (let f: Frame | null = frame; f; f = f.parent) {
    const vars = f.data.vars;
    if (!vars) continue;
    if (!own) own = vars;
    else merged = { ...vars, ...(merged ?? own) };
  }
  return merged ?? own;
}
