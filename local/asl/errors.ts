/**
 * Errors raised while interpreting ASL. `name` is the ASL error name, so
 * Retry/Catch matching is string equality on `name` (as aws-local-stepfunctions
 * does it). `cause` is the human-readable Cause reported in history.
 */
export class StatesError extends Error {
  /** Cause as reported in history and DescribeExecution. */
  readonly causeText: string;

  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
    this.causeText = cause;
  }
}

/** Raised by a failed task, a Fail state or SendTaskFailure: any user-chosen name. */
export class TaskError extends StatesError {}

export class StatesRuntimeError extends StatesError {
  constructor(cause: string) {
    super('States.Runtime', cause);
  }
}
export class StatesTimeoutError extends StatesError {
  constructor(cause = 'The task timed out.') {
    super('States.Timeout', cause);
  }
}
export class StatesHeartbeatTimeoutError extends StatesError {
  constructor(cause = 'The task did not send a heartbeat in time.') {
    super('States.HeartbeatTimeout', cause);
  }
}
export class StatesTaskFailedError extends StatesError {
  constructor(cause: string) {
    super('States.TaskFailed', cause);
  }
}
export class StatesNoChoiceMatchedError extends StatesError {
  constructor(cause: string) {
    super('States.NoChoiceMatched', cause);
  }
}
export class StatesResultPathMatchFailureError extends StatesError {
  constructor(cause: string) {
    super('States.ResultPathMatchFailure', cause);
  }
}
export class StatesParameterPathFailureError extends StatesError {
  constructor(cause: string) {
    super('States.ParameterPathFailure', cause);
  }
}
export class StatesIntrinsicFailureError extends StatesError {
  constructor(cause: string) {
    super('States.IntrinsicFailure', cause);
  }
}
export class StatesExceedToleratedFailureThresholdError extends StatesError {
  constructor(cause: string) {
    super('States.ExceedToleratedFailureThreshold', cause);
  }
}
export class StatesDataLimitExceededError extends StatesError {
  constructor(cause: string) {
    super('States.DataLimitExceeded', cause);
  }
}
export class StatesBranchFailedError extends StatesError {
  constructor(cause: string) {
    super('States.BranchFailed', cause);
  }
}

/**
 * Errors no Retry or Catch can handle: the AWS docs say a retrier or catcher on
 * States.ALL does not match States.Runtime or States.DataLimitExceeded.
 */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/** Converts anything thrown into a StatesError (unknown throwables become States.Runtime). */
export function toStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StatesRuntimeError(message);
}
