/**
 * Assertions on a synthesized stack: a tool's declared secret reaches that
 * tool's function and no other (the env var naming it, read access on it).
 */
import type { Template } from 'aws-cdk-lib/assertions';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every statement of a role, from its inline policies and the AWS::IAM::Policy resources attached to it. */
function statementsOf(resources: Record<string, Json>, roleId: string): Json[] {
  const out: Json[] = [];
  for (const policy of resources[roleId].Properties.Policies ?? []) out.push(...policy.PolicyDocument.Statement);
  for (const p of Object.values(resources))
    if (p.Type === 'AWS::IAM::Policy' && (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId)) out.push(...p.Properties.PolicyDocument.Statement);
  return out;
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/**
 * The secret (created by the stack under `createdName`, or referenced by `referencedName`) is named to
 * `toolId`'s function in `envVar`, its role may GetSecretValue on exactly it, and no other function or role
 * mentions it. Returns how the secret appears in the template (a Ref or a partial ARN).
 */
export function expectOnlyToolReadsSecret(template: Template, o: { toolId: string; envVar: string; createdName?: string; referencedName?: string }): unknown {
  const resources = template.toJSON().Resources as Record<string, Json>;
  const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  const [fnId, fn] = functions.find(([, r]) => r.Properties.Environment?.Variables?.AIOS_TOOL_ID === o.toolId) ?? [];
  expect(fnId).toBeDefined();
  const roleId = (fn!.Properties.Role as Json)['Fn::GetAtt'][0] as string;

  let grant: unknown;
  let mention: string;
  if (o.createdName) {
    const created = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties.Name === o.createdName);
    expect(created).toHaveLength(1);
    const secretId = created[0][0];
    expect(fn!.Properties.Environment.Variables[o.envVar]).toEqual({ Ref: secretId });
    grant = { Ref: secretId };
    mention = `"${secretId}"`;
  } else {
    expect(fn!.Properties.Environment.Variables[o.envVar]).toBe(o.referencedName);
    mention = `:secret:${o.referencedName}-??????`;
    grant = undefined;
  }
  const reading = statementsOf(resources, roleId).filter((s) => JSON.stringify(s.Resource).includes(mention));
  expect(reading).toHaveLength(1);
  expect(list(reading[0].Action)).toEqual(['secretsmanager:GetSecretValue']);
  expect(list(reading[0].Resource)).toHaveLength(1);
  if (grant) expect(list(reading[0].Resource)[0]).toEqual(grant);

  // No other function is told about it, and no other role may read it.
  for (const [id, other] of functions) if (id !== fnId) expect(JSON.stringify(other.Properties.Environment ?? {})).not.toContain(mention.replace(/"/g, ''));
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Role' || id === roleId) continue;
    expect(JSON.stringify(statementsOf(resources, id))).not.toContain(mention);
  }
  return list(reading[0].Resource)[0];
}
