/**
 * Tasks that wait on their token: the engine tests that stop, restart or
 * migrate a store need executions parked mid-run, resumed later with the
 * tokens a `park` function was handed.
 */
import { FunctionRegistry } from '../../local/functions';

/** A Task state that hands `park` its token (`token`, plus any `payload` fields) and waits until the token is answered. */
export function parkedTask(payload: Record<string, unknown> = {}) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: 'park', Payload: { 'token.$': '$$.Task.Token', ...payload } },
  } as const;
}

/** A machine of one parked task, `Ask`, whose answer ends the execution. */
export function oneParkedTask() {
  return { StartAt: 'Ask', States: { Ask: { ...parkedTask(), End: true } } } as const;
}

/** `functions` (a new registry if none) with a `park` function that keeps each event it is handed and its token, in order, and returns nothing. */
export function parkingFunctions<E extends { token: string } = { token: string }>(functions = new FunctionRegistry()) {
  const parked: E[] = [];
  const tokens: string[] = [];
  functions.register('park', async (event) => {
    parked.push(event as E);
    tokens.push((event as E).token);
    return null;
  });
  return { functions, parked, tokens };
}
