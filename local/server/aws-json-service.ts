/**
 * An AWS service spoken over the AWS JSON protocol (POST / with
 * `X-Amz-Target: <targetPrefix>.<Action>`), e.g. Step Functions
 * (`AWSStepFunctions`, JSON 1.0) or EventBridge (`AWSEvents`, JSON 1.1).
 */
export interface AwsJsonService {
  /** The part of X-Amz-Target before the dot. */
  readonly targetPrefix: string;
  /** `1.0` or `1.1`: echoed in the response content type. */
  readonly jsonVersion: '1.0' | '1.1';
  /** Returns the response body; throws AwsServiceError for AWS-shaped errors. */
  handle(action: string, input: Record<string, unknown>): Promise<unknown>;
}

/**
 * An error the AWS SDK maps to its exception class by `__type` (e.g.
 * `ExecutionDoesNotExist`), answered with `status` (400 unless given).
 */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}
