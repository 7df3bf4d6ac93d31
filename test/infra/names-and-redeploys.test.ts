/**
 * Names and redeploys: namePrefix gives a second deployment in the same
 * account its own physical names, and a redeploy after `cdk destroy` with
 * retained data adopts the retained tables, secrets and log groups.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import exampleOs from '../../examples/kestrel-coffee';
import { loadValidOs } from '../../shared/definition';
import { AiosStack } from '../../infra/aios-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const os = loadValidOs(exampleOs);
const env = { account: '123456789012', region: 'us-east-1' };
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const firstStack = new AiosStack(app, 'Aios', { os, env });
// Same account, same definition, same sender: only the prefix differs (and the sender's identity is the first one's).
const secondStack = new AiosStack(app, 'AcmeAios', { os, env, settings: { namePrefix: 'acme', senderIdentity: 'existing' } });
const first = Template.fromStack(firstStack);
const second = Template.fromStack(secondStack);

// Properties that are physical names (unique per account and region) when set.
const NAME_PROPERTIES = [
  'FunctionName',
  'StateMachineName',
  'Name',
  'LogGroupName',
  'TableName',
  'TopicName',
  'QueueName',
  'RoleName',
  'ArchiveName',
  'EmailIdentity',
  'BucketName',
  'AlarmName',
];

function physicalNames(template: Template): Map<string, string> {
  const names = new Map<string, string>();
  for (const [id, r] of Object.entries(template.toJSON().Resources as Record<string, Json>)) {
    for (const prop of NAME_PROPERTIES) {
      const v: unknown = r.Properties?.[prop];
      if (typeof v === 'string') names.set(`${r.Type} ${v}`, id);
    }
  }
  return names;
}

describe('namePrefix', () => {
  it('gives every named resource of a second deployment its own name: no physical name is shared', () => {
    const a = physicalNames(first);
    const b = physicalNames(second);
    expect(b.size).toBeGreaterThan(20);
    expect([...b.keys()].filter((n) => a.has(n))).toEqual([]);
  });

  it('prefixes the bus, the functions, the state machines, the secrets, the schedules and the log groups', () => {
    const names = [...physicalNames(second).keys()];
    expect(names).toContain('AWS::Events::EventBus acme');
    for (const n of names.filter((x) => /^AWS::(Lambda::Function|StepFunctions::StateMachine|SecretsManager::Secret|Scheduler::Schedule) /.test(x)))
      expect(n).toMatch(/ acme[-/]/);
    for (const n of names.filter((x) => x.startsWith('AWS::Logs::LogGroup '))) expect(n).toContain('/acme-');
    second.resourceCountIs('AWS::SES::EmailIdentity', 0);
    first.resourceCountIs('AWS::SES::EmailIdentity', 1);
  });
});

describe('a redeploy onto retained data', () => {
  const retained = { knowledge: 'Aios-DataKnowledgeA1B2-XYZ', state: 'Aios-DataStateC3D4-XYZ', audit: 'Aios-DataAuditE5F6-XYZ' };
  const adoptApp = new App({ context: { 'aws:cdk:bundling-stacks': [], adoptRetained: JSON.stringify(retained) } });
  const adopting = Template.fromStack(new AiosStack(adoptApp, 'Aios', { os, env }));
  const resources = adopting.toJSON().Resources as Record<string, Json>;

  it('creates no table, secret or named log group the old stack retained, and uses the retained tables', () => {
    adopting.resourceCountIs('AWS::DynamoDB::Table', 0);
    adopting.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup' && r.Properties.LogGroupName)).toEqual([]);
    const fnEnv = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.Environment.Variables as Record<string, unknown>);
    expect(fnEnv.filter((e) => e.AIOS_TABLE_STATE).every((e) => e.AIOS_TABLE_STATE === retained.state)).toBe(true);
    expect(fnEnv.find((e) => e.AIOS_SECRET_ARN_APPROVAL_LINK_KEY)?.AIOS_SECRET_ARN_APPROVAL_LINK_KEY).toBe('aios/approval-link-key');
    expect(JSON.stringify(adopting.toJSON())).toContain(`:table/${retained.state}`);
    expect(JSON.stringify(adopting.toJSON())).toContain(':secret:aios/approval-link-key-??????');
  });

  it('rejects an adoptRetained value that does not name the three tables', () => {
    const bad = new App({ context: { 'aws:cdk:bundling-stacks': [], adoptRetained: '{"state":"x"}' } });
    expect(() => new AiosStack(bad, 'Aios', { os, env })).toThrow(/adoptRetained/);
  });
});
