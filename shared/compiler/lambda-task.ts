/** Lambda-invoking Task states with the retries every Lambda task gets. */
import type { RetryRule } from '../definition/workflow';
import type { AslState } from './asl';
import { LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT, placeholder } from './resources';

/** Transient Lambda service errors, retried with backoff on every Lambda task. */
export const TRANSIENT_LAMBDA_RETRY = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

export function userRetries(retry: readonly RetryRule[] | undefined): Record<string, unknown>[] {
  return (retry ?? []).map((r) => ({
    ErrorEquals: r.errors ? [...r.errors] : ['States.ALL'],
    ...(r.intervalSeconds !== undefined ? { IntervalSeconds: r.intervalSeconds } : {}),
    ...(r.maxAttempts !== undefined ? { MaxAttempts: r.maxAttempts } : {}),
    ...(r.backoffRate !== undefined ? { BackoffRate: r.backoffRate } : {}),
    ...(r.maxDelaySeconds !== undefined ? { MaxDelaySeconds: r.maxDelaySeconds } : {}),
  }));
}

function retries(extra: readonly RetryRule[] | undefined): Record<string, unknown>[] {
  // States.ALL must be last in a Retry list: keep the transient retrier before a user catch-all.
  const user = userRetries(extra);
  const catchAll = user.filter((r) => (r.ErrorEquals as string[]).includes('States.ALL'));
  return [...user.filter((r) => !catchAll.includes(r)), TRANSIENT_LAMBDA_RETRY, ...catchAll];
}

export interface LambdaTaskOptions {
  fn: string;
  payload: Record<string, unknown>;
  waitForTaskToken?: boolean;
  resultSelector?: Record<string, unknown>;
  resultPath?: string | null;
  outputPath?: string;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  retry?: readonly RetryRule[];
  catch?: Record<string, unknown>[];
  next?: string;
}

export function lambdaTask(o: LambdaTaskOptions): AslState {
  const state: AslState = {
    Type: 'Task',
    Resource: o.waitForTaskToken ? LAMBDA_INVOKE_WAIT : LAMBDA_INVOKE,
    Parameters: { FunctionName: placeholder(o.fn), Payload: o.payload },
  };
  if (o.timeoutSeconds !== undefined) state.TimeoutSeconds = o.timeoutSeconds;
  if (o.timeoutSecondsPath !== undefined) state.TimeoutSecondsPath = o.timeoutSecondsPath;
  if (o.resultSelector) state.ResultSelector = o.resultSelector;
  if (o.resultPath !== undefined) state.ResultPath = o.resultPath;
  if (o.outputPath !== undefined) state.OutputPath = o.outputPath;
  state.Retry = retries(o.retry);
  if (o.catch && o.catch.length) state.Catch = o.catch;
  if (o.next) state.Next = o.next;
  else state.End = true;
  return state;
}
