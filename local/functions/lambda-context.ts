/**
 * A Lambda-like context for handlers run in process. `aiosTask` is AIOS's own
 * addition: the identity of the Task attempt, so a handler can derive an
 * idempotency key that survives a crash-and-redelivery.
 */
export interface TaskIdentity {
  executionArn: string;
  stateName: string;
  /** `$$.State.EnteredTime`: stable across a crash, changes on a new entry of the state. */
  stateEnteredTime: string;
  retryCount: number;
  taskToken?: string;
  /** `${executionArn}#${stateName}#${stateEnteredTime}#${retryCount}`: equal for re-deliveries of one attempt. */
  idempotencyKey: string;
}

export interface LocalLambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  aiosTask?: TaskIdentity;
}

export function lambdaContext(opts: {
  functionName: string;
  region: string;
  accountId: string;
  requestId: string;
  timeoutMs: number;
  task?: TaskIdentity;
}): LocalLambdaContext {
  const deadline = Date.now() + opts.timeoutMs;
  return {
    functionName: opts.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${opts.region}:${opts.accountId}:function:${opts.functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: opts.requestId,
    logGroupName: `/aws/lambda/${opts.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    // A method, not an arrow in a property: the dev loader (tsx) wraps every named arrow in a naming call, per invocation.
    getRemainingTimeInMillis() {
      return Math.max(0, deadline - Date.now());
    },
    ...(opts.task ? { aiosTask: opts.task } : {}),
  };
}
