/**
 * Task resources in compiled ASL are placeholders, filled by CDK's
 * `definitionSubstitutions` on AWS and by the local runtime on one machine.
 */
import { toolFunctionName, toolPlaceholder } from '../definition/tool';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The system's own functions: placeholder → Lambda function name. */
export const SYSTEM_FUNCTIONS = {
  FnAgentStep: 'aios-agent-step',
  FnToolGate: 'aios-tool-gate',
  FnApprovalRequest: 'aios-approval-request',
  FnEmitEvent: 'aios-emit-event',
} as const;

export type SystemFunction = keyof typeof SYSTEM_FUNCTIONS;

export const placeholder = (name: string): string => `\${${name}}`;

/** Every placeholder a set of tools can produce, with its function name. */
export function functionPlaceholders(toolIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = { ...SYSTEM_FUNCTIONS };
  for (const id of [...toolIds].sort()) out[toolPlaceholder(id)] = toolFunctionName(id);
  return out;
}

/** The placeholders used in an ASL document (`${Name}` → Name), in first-seen order. */
export function placeholdersIn(aslJson: string): string[] {
  return [...new Set([...aslJson.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))];
}

/** Replaces placeholders by values (e.g. function ARNs). @throws when one is missing */
export function substitutePlaceholders(aslJson: string, values: Record<string, string>): string {
  return aslJson.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder \${${name}}`);
    return value;
  });
}

export function lambdaArn(functionName: string, region = 'us-east-1', account = '000000000000'): string {
  return `arn:aws:lambda:${region}:${account}:function:${functionName}`;
}
