/** Step Functions ARNs for the local account and region. */
export interface ArnScope {
  region: string;
  accountId: string;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

export function stateMachineArn(scope: ArnScope, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

export function executionArn(scope: ArnScope, machineName: string, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machineName}:${name}`;
}

/** `{ machineName }` from a state machine ARN, or null if it is not one. */
export function parseStateMachineArn(arn: string): { machineName: string } | null {
  const m = /^arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})(?::[A-Za-z0-9_$.-]+)?$/.exec(arn);
  return m ? { machineName: m[1] } : null;
}

/** `{ machineName, name }` from an execution ARN, or null if it is not one. */
export function parseExecutionArn(arn: string): { machineName: string; name: string } | null {
  const m = /^arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\d{12}:execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_-]{1,80})$/.exec(arn);
  return m ? { machineName: m[1], name: m[2] } : null;
}
