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
  /**
   * `${executionArn}#${stateName}#${stateEnteredTime}#${retryCount}`, and inside a Map or Parallel `#<index path>` (the item
   * or branch, outermost first): equal for re-deliveries of one attempt, different for each item of a Map.
   */
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

/** Per function name: its ARN and log group, the same for every invocation in one region and account (two strings per call were garbage). */
const functionNames = new Map<string, { region: string; accountId: string; arn: string; logGroup: string }>();

function namesOf(region: string, accountId: string, functionName: string): { arn: string; logGroup: string } {
  let names = functionNames.get(functionName);
  if (!names || names.region !== region || names.accountId !== accountId) {
    names = { region, accountId, arn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`, logGroup: `/aws/lambda/${functionName}` };
    if (functionNames.size >= 10_000) functionNames.clear();
    functionNames.set(functionName, names);
  }
  return names;
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
  const names = namesOf(opts.region, opts.accountId, opts.functionName);
  // A method, not an arrow in a property: the dev loader (tsx) wraps every named arrow in a naming call, per invocation.
  const context: LocalLambdaContext = {
    functionName: opts.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: names.arn,
    memoryLimitInMB: '1024',
    awsRequestId: opts.requestId,
    logGroupName: names.logGroup,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis() {
      return Math.max(0, deadline - Date.now());
    },
  };
  // Set on the literal rather than spread from a temporary object: one object per invocation.
  if (opts.task) context.aiosTask = opts.task;
  return context;
}
