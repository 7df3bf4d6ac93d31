/**
 * The console's function on AWS: routed at /console, and its role holds
 * what the console does and nothing more (reads runs and audit, decides
 * approvals, switches the stack's own rules and schedules).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AiosStack } from '../../infra/aios-stack';
import { currentOs } from '../../functions/current-os';
import { triggerDirectory } from '../../functions/console/console-deps';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const os = currentOs();
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new AiosStack(app, 'Aios', { os, env: { account: '123456789012', region: 'us-east-1' } });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

const [consoleId, consoleFn] = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === 'aios-console')!;
const roleId = consoleFn.Properties.Role['Fn::GetAtt'][0] as string;
const statements: Json[] = ofType('AWS::IAM::Policy')
  .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
  .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
const actions = new Set(statements.flatMap((s) => list(s.Action as string | string[])));
const refersTo = (value: unknown, prefix: string) => JSON.stringify(value).includes(`"${prefix}`);

test('the console is routed at /console on the HTTP API, with its URL as an output', () => {
  const integrations = ofType('AWS::ApiGatewayV2::Integration').filter(([, i]) => refersTo(i.Properties.IntegrationUri, consoleId));
  const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => integrations.some(([id]) => JSON.stringify(r.Properties.Target).includes(id)));
  expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(['GET /console', 'GET /console/{proxy+}', 'POST /console', 'POST /console/{proxy+}']);
  template.hasOutput('ConsoleUrl', {});
});

test('its role: tables, mail, task responses, and the stack’s own runs, rules and schedules — nothing else', () => {
  expect([...actions].sort()).toEqual(
    [
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
      'events:DisableRule',
      'events:EnableRule',
      'iam:PassRole',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'scheduler:GetSchedule',
      'scheduler:UpdateSchedule',
      // The audit chain key: the console writes audit records (sign-ins, refusals, controls).
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'ses:SendEmail',
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:ListExecutions',
      'states:SendTaskFailure',
      // Before closing an approval: does its run still wait?
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'states:StopExecution',
    ].filter((a) => !a.startsWith('dynamodb:') || actions.has(a)),
  );
  // DynamoDB: the state table read/write (sessions, links, controls, approvals), the audit table append-only.
  expect(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].every((a) => actions.has(a))).toBe(true);
  for (const s of statements) {
    for (const r of list(s.Resource as unknown)) expect(r).not.toBe('*');
    if (list(s.Action).includes('iam:PassRole')) expect(s.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  }
  const rulesStatement = statements.find((s) => list(s.Action).includes('events:DisableRule'))!;
  // The workflows' trigger rules: never the rule that records how runs ended (pausing a workflow leaves it on).
  const isRunEndRule = ([, r]: [string, Json]) => JSON.stringify(r.Properties.EventPattern.source).includes('aws.states');
  expect(list(rulesStatement.Resource)).toHaveLength(ofType('AWS::Events::Rule').filter((e) => !isRunEndRule(e)).length);
  expect(JSON.stringify(rulesStatement.Resource)).not.toContain(`"${ofType('AWS::Events::Rule').find(isRunEndRule)![0]}"`);
  // The one secret it reads is the audit chain key (it writes audit records): never the link key or a webhook secret.
  const secretResources = JSON.stringify(statements.filter((s) => list(s.Action).includes('secretsmanager:GetSecretValue')).map((s) => s.Resource));
  expect(secretResources).toMatch(/AuditChainKey/);
  expect(secretResources).not.toMatch(/ApprovalLinkKey|Webhook/);
  expect(actions.has('lambda:InvokeFunction')).toBe(false);
  expect(actions.has('states:StartExecution')).toBe(false);
});

test('it is told every workflow’s state machine, rules and schedules', () => {
  const env = consoleFn.Properties.Environment.Variables as Json;
  expect(env.AIOS_PUBLIC_URL).toBeDefined();
  const raw = stack.resolve(env.AIOS_CONSOLE_TRIGGERS) as Json;
  // The value is a CloudFormation Fn::Join of literal JSON and references: substitute sample values and parse it.
  const text = (raw['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'REF')).join('');
  const directory = triggerDirectory({ AIOS_CONSOLE_TRIGGERS: text })!;
  expect(Object.keys(directory).sort()).toEqual(os.workflows.map((w) => w.id).sort());
  const eventTriggers = (id: string) => os.workflows.find((w) => w.id === id)!.triggers.filter((t) => t.kind === 'event').length;
  const scheduleTriggers = (id: string) => os.workflows.find((w) => w.id === id)!.triggers.filter((t) => t.kind === 'schedule').length;
  for (const [id, t] of Object.entries(directory)) {
    expect(t.rules).toHaveLength(eventTriggers(id));
    expect(t.schedules).toHaveLength(scheduleTriggers(id));
  }
});
