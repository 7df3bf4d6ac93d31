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

/** The ARN of the last machine's executions up to their name: executions of one machine come in runs, and the ARN was built piece by piece per start. */
let lastPrefix = { region: '', accountId: '', machineName: '', text: '' };

export function executionArn(scope: ArnScope, machineName: string, name: string): string {
  return executionArnPrefix(scope, machineName) + name;
}

/** The ARN of a machine's executions up to their name (`…:execution:<machine>:`). */
export function executionArnPrefix(scope: ArnScope, machineName: string): string {
  let prefix = lastPrefix;
  if (prefix.machineName !== machineName || prefix.region !== scope.region || prefix.accountId !== scope.accountId) {
    const text = `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machineName}:`;
    prefix = { region: scope.region, accountId: scope.accountId, machineName, text };
    lastPrefix = prefix;
  }
  return prefix.text;
}

/** Machine ARNs already parsed (every StartExecution parses one, twice). */
const parsedMachineArns = new Map<string, { machineName: string } | null>();

/** `{ machineName }` from a state machine ARN, or null if it is not one. */
export function parseStateMachineArn(arn: string): { machineName: string } | null {
  const known = parsedMachineArns.get(arn);
  if (known !== undefined) return known;
  const m = /^arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})(?::[A-Za-z0-9_$.-]+)?$/.exec(arn);
  const parsed = m ? Object.freeze({ machineName: m[1] }) : null;
  if (parsedMachineArns.size < 10_000) parsedMachineArns.set(arn, parsed);
  return parsed;
}

/** `{ machineName, name }` from an execution ARN, or null if it is not one. */
export function parseExecutionArn(arn: string): { machineName: string; name: string } | null {
  const m = /^arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\d{12}:execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_-]{1,80})$/.exec(arn);
  return m ? { machineName: m[1], name: m[2] } : null;
}

function isLowerHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
}

/**
 * The id a generated name carries (task-token.ts, generatedName), or null; a caller may choose such a name too, so check the ARN.
 * Reads the ARN's last 37 characters in place, `:xxxxxxxx-xxxx-xxxx-xxxx-<id, 12 hex digits>` (every execution insert and
 * lookup asks; a regular expression over a slice of them cost 1% of a start).
 */
export function idInExecutionArn(arn: string): number | null {
  const n = arn.length;
  if (n <= 37) return null;
  const dash = 45;
  if (arn.charCodeAt(n - 37) !== 58 || arn.charCodeAt(n - 28) !== dash || arn.charCodeAt(n - 23) !== dash) return null;
  if (arn.charCodeAt(n - 18) !== dash || arn.charCodeAt(n - 13) !== dash) return null;
  let id = 0;
  for (let back = 36; back >= 1; back--) {
    if (back === 28 || back === 23 || back === 18 || back === 13) continue;
    const code = arn.charCodeAt(n - back);
    if (!isLowerHex(code)) return null;
    if (back <= 12) id = id * 16 + (code <= 57 ? code - 48 : code - 87);
  }
  return id;
}
