/**
 * Assertions on the synthesized AiosStack for the example business. Synthesized
 * once for the file; esbuild bundling is skipped here (`npm run synth` and the
 * bundles bench run it for real).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import exampleOs from '../../examples/kestrel-coffee';
import { compileAll, placeholdersIn } from '../../shared/compiler';
import { loadValidOs } from '../../shared/definition';
import { AiosStack } from '../../infra/aios-stack';
import { seedDigest } from '../../infra/seed-digest';
import { alarmCount, fixedMonthlyCost } from '../../shared/cost/fixed-cost';
import { outputsFromStack } from '../../shared/deployment/outputs';
import { AUDIT_APPEND_ACTIONS } from '../../shared/deployment/statements';
import { ENVIRONMENT_VARIABLES, parseEnvironment } from '../../shared/composition/environment';
import { TABLES } from '../../shared/tables';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const os = loadValidOs(exampleOs);
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new AiosStack(app, 'Aios', { os, env: { account: '123456789012', region: 'us-east-1' } });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const functionIds = new Set(ofType('AWS::Lambda::Function').map(([id]) => id));
const functionIdOf = (tool: string) => ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment?.Variables?.AIOS_TOOL_ID === tool)?.[0];
const roleOfFunction = (fnId: string) => (resources[fnId].Properties.Role as Json)['Fn::GetAtt'][0] as string;

/** Every statement attached to a role, from its inline policies and AWS::IAM::Policy resources. */
function statementsOf(roleId: string): Json[] {
  const out: Json[] = [];
  for (const policy of resources[roleId].Properties.Policies ?? []) out.push(...policy.PolicyDocument.Statement);
  for (const [, p] of ofType('AWS::IAM::Policy'))
    if ((p.Properties.Roles as Json[]).some((r) => r.Ref === roleId)) out.push(...p.Properties.PolicyDocument.Statement);
  return out;
}
const allStatements = (): Json[] => ofType('AWS::IAM::Role').flatMap(([id]) => statementsOf(id).map((s): Json => ({ role: id, ...s })));
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const actionsOf = (roleId: string) => new Set(statementsOf(roleId).flatMap((s) => list(s.Action as string | string[])));
const tableId = (name: 'Knowledge' | 'State' | 'Audit') => ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith(`Data${name}`))![0];
const mentions = (value: unknown, logicalId: string) => JSON.stringify(value).includes(`"${logicalId}"`);

describe('AiosStack for Kestrel Coffee Co.', () => {
  describe('workflows', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');

    it('has one Standard state machine per workflow', () => {
      expect(machines).toHaveLength(os.workflows.length);
      const names = machines.map(([, m]) => m.Properties.StateMachineName).sort();
      expect(names).toEqual(os.workflows.map((w) => `aios-${w.id}`).sort());
      for (const [, m] of machines) expect(m.Properties.StateMachineType).toBe('STANDARD');
    });

    it('substitutes every placeholder with a function of the stack, leaving no ${ behind', () => {
      for (const [, m] of machines) {
        const definition = m.Properties.DefinitionString as string;
        const substitutions = m.Properties.DefinitionSubstitutions as Record<string, Json>;
        // What CloudFormation does at deploy: replace each ${Key} by its value.
        const substituted = definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
          const value = substitutions[key];
          expect(value).toBeDefined();
          return '<ARN>';
        });
        expect(substituted).not.toContain('${');
        for (const value of Object.values(substitutions)) {
          const [logicalId, attribute] = value['Fn::GetAtt'] as [string, string];
          expect(attribute).toBe('Arn');
          expect(functionIds.has(logicalId)).toBe(true);
        }
      }
    });

    it('logs without execution data and lets each machine invoke only its own functions', () => {
      for (const [, m] of machines) {
        expect(m.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
        const roleId = m.Properties.RoleArn['Fn::GetAtt'][0] as string;
        const invoke = statementsOf(roleId).filter((s) => list(s.Action).includes('lambda:InvokeFunction'));
        const invoked = invoke
          .flatMap((s) => list(s.Resource))
          .map((r: Json) => r['Fn::GetAtt'][0] as string)
          .sort();
        const substituted = Object.values(m.Properties.DefinitionSubstitutions as Record<string, Json>).map((v) => v['Fn::GetAtt'][0] as string);
        expect(invoked).toEqual([...new Set(substituted)].sort());
      }
    });
  });

  it('references every ASL function and routes or references every function of the stack', () => {
    const compiled = compileAll(os);
    const substitutedIds = new Map<string, string>();
    for (const [, m] of ofType('AWS::StepFunctions::StateMachine')) {
      for (const [key, value] of Object.entries(m.Properties.DefinitionSubstitutions as Record<string, Json>)) substitutedIds.set(key, value['Fn::GetAtt'][0]);
    }
    for (const asl of compiled.values()) for (const name of placeholdersIn(asl)) expect(functionIds.has(substitutedIds.get(name) ?? '')).toBe(true);

    const routed = new Set(ofType('AWS::ApiGatewayV2::Integration').map(([, i]) => (i.Properties.IntegrationUri as Json)['Fn::GetAtt'][0] as string));
    const referenced = new Set(substitutedIds.values());
    for (const [, r] of ofType('Custom::AiosKnowledgeSeed')) referenced.add((r.Properties.ServiceToken as Json)['Fn::GetAtt'][0] as string);
    // The approval reconciler runs on its schedule; the audit archiver on the audit table's stream.
    for (const [, s] of ofType('AWS::Scheduler::Schedule'))
      if (s.Properties.Target.Arn['Fn::GetAtt']) referenced.add(s.Properties.Target.Arn['Fn::GetAtt'][0] as string);
    for (const [, m] of ofType('AWS::Lambda::EventSourceMapping')) referenced.add((m.Properties.FunctionName as Json).Ref as string);
    for (const id of functionIds) expect({ id, used: referenced.has(id) || routed.has(id) }).toEqual({ id, used: true });
  });

  it('has one rule per event trigger, each with a retry policy and an encrypted, TLS-only dead-letter queue', () => {
    const triggers = os.workflows.flatMap((w) =>
      w.triggers.filter((t) => t.kind === 'event').map((t) => ({ workflow: w.id, pattern: (t as { pattern: Json }).pattern })),
    );
    // Beside the rule of Step Functions' status changes on the default bus (asserted below).
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => !JSON.stringify(r.Properties.EventPattern.source).includes('aws.states'));
    expect(rules).toHaveLength(triggers.length);
    for (const trigger of triggers) {
      const rule = rules.find(([, r]) => JSON.stringify(r.Properties.EventPattern) === JSON.stringify(trigger.pattern));
      expect(rule).toBeDefined();
      const [target] = rule![1].Properties.Targets as Json[];
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      const queueId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
      expect(resources[queueId].Type).toBe('AWS::SQS::Queue');
      expect(resources[queueId].Properties.SqsManagedSseEnabled).toBe(true);
      const queuePolicies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => mentions(p.Properties.Queues, queueId));
      expect(JSON.stringify(queuePolicies)).toContain('aws:SecureTransport');
      const machine = resources[target.Arn.Ref];
      expect(machine.Properties.StateMachineName).toBe(`aios-${trigger.workflow}`);
    }
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'aios' });
    template.resourceCountIs('AWS::Events::Archive', 1);
  });

  describe("Step Functions' status changes of the runs that cannot record their own end", () => {
    const statusRules = ofType('AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties.EventPattern.source).includes('aws.states'));
    const emitEventId = ofType('AWS::Lambda::Function').find(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'aios-emit-event')![0];
    const machineIds = ofType('AWS::StepFunctions::StateMachine').map(([id]) => id);

    it('one rule on the default bus: the ends no workflow step records (FAILED, TIMED_OUT, ABORTED) of this stack’s machines only', () => {
      expect(statusRules).toHaveLength(1);
      const [, rule] = statusRules[0];
      // No EventBusName: the account's default bus, the only one Step Functions sends to.
      expect(rule.Properties.EventBusName).toBeUndefined();
      expect(rule.Properties.State).toBe('ENABLED');
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: machineIds.map((id) => ({ Ref: id })), status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      });
    });

    it('targets emit-event with retries and the dead-letter queue, invokable by this rule alone', () => {
      const [ruleId, rule] = statusRules[0];
      const targets = rule.Properties.Targets as Json[];
      expect(targets).toHaveLength(1);
      expect(targets[0].Arn).toEqual({ 'Fn::GetAtt': [emitEventId, 'Arn'] });
      expect(targets[0].RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(resources[targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0] as string].Type).toBe('AWS::SQS::Queue');
      const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => mentions(p.Properties.FunctionName, emitEventId));
      expect(permissions.map(([, p]) => p.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [emitEventId, 'Arn'] },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
        },
      ]);
    });

    it("gives emit-event's role nothing for it: recording an end is an audit append and a PutEvents it already holds", () => {
      const actions = actionsOf(roleOfFunction(emitEventId));
      expect([...actions].filter((a) => a.startsWith('states:') || a.startsWith('events:') || a.startsWith('lambda:'))).toEqual(['events:PutEvents']);
      const putEvents = statementsOf(roleOfFunction(emitEventId)).filter((s) => list(s.Action as string | string[]).includes('events:PutEvents'));
      // On the aios bus only, never the default bus its trigger comes from.
      expect(JSON.stringify(putEvents.map((s) => s.Resource))).not.toContain('event-bus/default');
    });
  });

  it('schedules the weekly review with Scheduler in its time zone, with an event-shaped input', () => {
    // The workflows' schedules (the approval reconciler's is asserted in audit-archive-and-sweeps.test.ts).
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([id]) => id.startsWith('Schedules'));
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0];
    expect(schedule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 9 ? * MON *)', ScheduleExpressionTimezone: 'America/New_York' });
    expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({
      source: 'aios.scheduler',
      'detail-type': 'Scheduled Event',
      time: '<aws.scheduler.scheduled-time>',
      detail: {},
    });
    expect(schedule.Properties.Target.DeadLetterConfig).toBeDefined();
  });

  describe('least privilege', () => {
    // The only statements allowed a "*": APIs that accept no narrower resource.
    const WILDCARD_ONLY_ACTIONS = new Set([
      // Step Functions → CloudWatch Logs vended delivery
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      // The audit stream's event source mapping (DescribeStream, GetRecords, GetShardIterator are on the stream)
      'dynamodb:ListStreams',
      // X-Ray, only with -c tracing=true
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ]);

    it('grants no Action "*" and Resource "*" only for APIs that allow nothing narrower', () => {
      for (const s of allStatements()) {
        for (const action of list(s.Action as string | string[])) expect(action).not.toMatch(/^\*$|:\*$/);
        if (list(s.Resource).includes('*'))
          for (const action of list(s.Action as string | string[]))
            expect({ role: s.role, action, allowed: WILDCARD_ONLY_ACTIONS.has(action) }).toEqual({ role: s.role, action, allowed: true });
      }
    });

    it('gives each tool its own role with only what it needs', () => {
      const roles = new Set(
        os.tools
          .map((t) => functionIdOf(t.id))
          .filter(Boolean)
          .map((id) => roleOfFunction(id!)),
      );
      expect(roles.size).toBe([...os.tools].filter((t) => functionIdOf(t.id)).length);

      const refunds = actionsOf(roleOfFunction(functionIdOf('refunds.issue')!));
      expect(refunds.has('ses:SendEmail')).toBe(false);
      expect(refunds.has('events:PutEvents')).toBe(false);
      expect(refunds.has('bedrock:InvokeModel')).toBe(false);
      // Its only secret is the audit chain key (it appends `tool.ran`).
      const secretReads = statementsOf(roleOfFunction(functionIdOf('refunds.issue')!)).filter((s) => list(s.Action).includes('secretsmanager:GetSecretValue'));
      expect(secretReads.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringContaining('AuditChainKey')]);
      expect(JSON.stringify(statementsOf(roleOfFunction(functionIdOf('refunds.issue')!)))).not.toContain(tableId('Knowledge'));

      const email = statementsOf(roleOfFunction(functionIdOf('email.send')!));
      const send = email.find((s) => list(s.Action).includes('ses:SendEmail'))!;
      expect(send.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'maya@kestrel.coffee' } });

      const search = statementsOf(roleOfFunction(functionIdOf('knowledge.search')!)).filter((s) => mentions(s.Resource, tableId('Knowledge')));
      expect(search.flatMap((s) => list(s.Action)).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      const remember = statementsOf(roleOfFunction(functionIdOf('knowledge.remember')!)).filter((s) => mentions(s.Resource, tableId('Knowledge')));
      expect(remember.flatMap((s) => list(s.Action))).toContain('dynamodb:PutItem');
    });

    it('lets the agent step invoke exactly the agents’ models, and only it', () => {
      const withBedrock = allStatements().filter((s) => list(s.Action).includes('bedrock:InvokeModel'));
      expect(new Set(withBedrock.map((s) => s.role)).size).toBe(1);
      const models = [...new Set(os.agents.map((a) => a.model))];
      expect(models).toEqual(['us.anthropic.claude-haiku-4-5-20251001-v1:0']);
      // An inference profile: the profile itself, and the model in every region the profile routes to.
      const resources = JSON.stringify(withBedrock[0].Resource);
      expect(resources).toContain(':inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(list(withBedrock[0].Resource)).toHaveLength(2);
    });

    it('grants BatchWriteItem only to approval-request, on the approval index’s partitions, and Scan only to the console (state: it lists approvals and controls; audit: rights counts and verifying every chain)', () => {
      const fnRoles = new Set(ofType('AWS::Lambda::Function').map(([id]) => roleOfFunction(id)));
      const scanning = allStatements().filter((x) => fnRoles.has(x.role) && list(x.Action).includes('dynamodb:Scan'));
      const roleNamed = (name: string) => roleOfFunction(ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `aios-${name}`)![0]);
      expect(new Set(scanning.map((s) => s.role))).toEqual(new Set([roleNamed('console')]));
      for (const s of scanning) expect([tableId('State'), tableId('Audit')].some((t) => JSON.stringify(s.Resource).includes(t))).toBe(true);
      const batchWrites = allStatements().filter((x) => fnRoles.has(x.role) && list(x.Action).includes('dynamodb:BatchWriteItem'));
      expect(batchWrites.map((s) => s.role)).toEqual([roleNamed('approval-request')]);
      // A batch write is unconditional (a put replaces, a delete removes): never on an approval, its call's claim or a decision.
      expect(list(batchWrites[0].Action)).toEqual(['dynamodb:BatchWriteItem']);
      expect(mentions(batchWrites[0].Resource, tableId('State'))).toBe(true);
      expect(batchWrites[0].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['approval-open', 'run#*', 'approver#*'] } });
    });

    it('lets a tool write only its run records on the state table (dynamodb:LeadingKeys), never an approval', () => {
      const state = tableId('State');
      for (const tool of os.tools.filter((t) => functionIdOf(t.id))) {
        const writes = statementsOf(roleOfFunction(functionIdOf(tool.id)!)).filter(
          (s) => mentions(s.Resource, state) && list(s.Action).includes('dynamodb:PutItem'),
        );
        expect(writes.length).toBeGreaterThan(0);
        for (const w of writes) expect(w.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['run#*'] } });
      }
    });

    it('expires state items by their expiresAt attribute (TTL)', () => {
      const [, table] = ofType('AWS::DynamoDB::Table').find(([id]) => id === tableId('State'))!;
      expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    });

    it('keeps the audit table append-only for every writer', () => {
      const audit = tableId('Audit');
      // The archiver's stream read is on the table's stream, not its items (audit-archive-and-sweeps.test.ts).
      const onAudit = allStatements().filter((s) => mentions(s.Resource, audit) && !JSON.stringify(s.Resource).includes('StreamArn'));
      expect(onAudit.length).toBeGreaterThan(0);
      // Reading every trail (Scan) changes nothing; only the console holds it.
      const consoleRole = roleOfFunction(ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === 'aios-console')![0]);
      for (const s of onAudit)
        for (const action of list(s.Action as string | string[]))
          expect([...AUDIT_APPEND_ACTIONS, ...(s.role === consoleRole ? ['dynamodb:Scan'] : [])]).toContain(action);
      for (const s of onAudit) expect(list(s.Action)).not.toEqual(expect.arrayContaining(['dynamodb:UpdateItem']));
    });

    it('lets approval-request, the approval pages and the console (which decides through the same service) answer the task tokens of the machines that wait, and no other function', () => {
      const answering = allStatements().filter((s) => list(s.Action).includes('states:SendTaskSuccess'));
      const roleOf = (name: string) => roleOfFunction(ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `aios-${name}`)![0]);
      expect(new Set(answering.map((s) => s.role))).toEqual(
        new Set([roleOf('approval-request'), roleOf('approval-http'), roleOf('console'), roleOf('approval-reconcile')]),
      );
      for (const s of answering) expect(JSON.stringify(s.Resource)).toContain(':stateMachine:aios-sales-follow-up');
    });

    it('lets only the functions that sign or verify read the secrets', () => {
      // Every audit writer reads the audit chain key; only signers and verifiers read any other secret.
      const readers = allStatements().filter(
        (s) => list(s.Action).includes('secretsmanager:GetSecretValue') && !JSON.stringify(s.Resource).includes('AuditChainKey'),
      );
      const roles = new Set(readers.map((s) => s.role));
      const expected = ['approval-request', 'approval-http', 'webhook-ingest'].map((name) =>
        roleOfFunction(ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `aios-${name}`)![0]),
      );
      expect([...roles].sort()).toEqual(expected.sort());
      template.resourceCountIs('AWS::SecretsManager::Secret', 9);
    });
  });

  it('outputs every name the CLI and the business need, readable back into the outputs document', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    const doc = outputsFromStack(
      Object.entries(outputs).map(([key, o]) => ({ OutputKey: key, OutputValue: JSON.stringify(o.Value), Description: o.Description })),
    );
    expect(Object.keys(doc.stateMachines).sort()).toEqual(os.workflows.map((w) => w.id).sort());
    for (const w of os.workflows) {
      const [machineId] = ofType('AWS::StepFunctions::StateMachine').find(([, m]) => m.Properties.StateMachineName === `aios-${w.id}`)!;
      expect(doc.stateMachines[w.id]).toContain(machineId);
    }
    expect(doc.tables.state).toContain(tableId('State'));
    expect(doc.tables.audit).toContain(tableId('Audit'));
    expect(doc.tables.knowledge).toContain(tableId('Knowledge'));
    expect(Object.keys(doc.secrets)).toEqual(expect.arrayContaining(['approval-link-key', 'webhook-stripe', 'webhook-generic']));
    expect(doc.secrets['webhook-stripe']).toBe('"aios/webhook-stripe"');
    expect(doc).toMatchObject({ namePrefix: '"aios"', senderEmail: '"maya@kestrel.coffee"' });
    expect(doc.consoleUrl).toContain('/console');
  });

  it('loads the seed knowledge on deploy with the same sync, re-run when the seed changes', () => {
    const seeds = ofType('Custom::AiosKnowledgeSeed');
    expect(seeds).toHaveLength(1);
    const [, seed] = seeds[0];
    expect(seed.Properties.SeedDigest).toBe(seedDigest(path.join(__dirname, '../..', os.knowledge.seedDir)));
    const fnId = (seed.Properties.ServiceToken as Json)['Fn::GetAtt'][0] as string;
    expect(resources[fnId].Properties.Environment.Variables).toMatchObject({
      AIOS_KNOWLEDGE_SEED_DIR: '/var/task/seed-knowledge',
      AIOS_TABLE_KNOWLEDGE: expect.anything(),
    });
    const writes = statementsOf(roleOfFunction(fnId)).filter((s) => mentions(s.Resource, tableId('Knowledge')));
    expect(writes.flatMap((s) => list(s.Action))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    expect(JSON.stringify(statementsOf(roleOfFunction(fnId)))).not.toContain(tableId('State'));
  });

  it('gives the seed a new digest when a document changes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aios-seed-'));
    writeFileSync(path.join(dir, 'a.md'), '# A\n');
    const before = seedDigest(dir);
    expect(seedDigest(dir)).toBe(before);
    writeFileSync(path.join(dir, 'a.md'), '# A, changed\n');
    expect(seedDigest(dir)).not.toBe(before);
  });

  it('stores webhook deliveries too big for an event in a private, encrypted, expiring bucket only the ingest may write', () => {
    // The other bucket is the audit archive (audit-archive-and-sweeps.test.ts).
    const buckets = ofType('AWS::S3::Bucket').filter(([id]) => id.startsWith('Payloads'));
    expect(buckets).toHaveLength(1);
    const [bucketId, bucket] = buckets[0];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 30, Status: 'Enabled' });
    const writers = allStatements().filter((x) => list(x.Action).includes('s3:PutObject') && mentions(x.Resource, bucketId));
    // The agent step reads what the ingest stored (an agent given event.detail sees the whole delivery), under webhooks/ only.
    const readers = allStatements().filter((x) => list(x.Action).includes('s3:GetObject'));
    const agentStep = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === 'aios-agent-step')!;
    expect(readers.map((r) => [r.role, list(r.Action), JSON.stringify(r.Resource).includes('/webhooks/*')])).toEqual([
      [roleOfFunction(agentStep[0]), ['s3:GetObject'], true],
    ]);
    const ingest = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === 'aios-webhook-ingest')!;
    expect(new Set(writers.map((w) => w.role))).toEqual(new Set([roleOfFunction(ingest[0])]));
    expect(JSON.stringify(writers[0].Resource)).toContain('/webhooks/*');
    expect(mentions(ingest[1].Properties.Environment.Variables.AIOS_PAYLOAD_BUCKET, bucketId)).toBe(true);
  });

  it('has as many alarms and secrets as aios cost charges for every month', () => {
    expect(ofType('AWS::CloudWatch::Alarm')).toHaveLength(alarmCount(stack.plan));
    const secrets = fixedMonthlyCost(stack.plan, { dataGb: 1, logGb: 1, secrets: ofType('AWS::SecretsManager::Secret').length }).find((l) =>
      l.item.startsWith('Secrets'),
    );
    expect(secrets?.quantity).toBe(9);
    expect(ofType('AWS::KMS::Key')).toHaveLength(1);
  });

  it('keeps data on demand, recoverable, encrypted and retained', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(3);
    for (const [, t] of tables) {
      expect(t.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      expect(t.DeletionPolicy).toBe('Retain');
    }
  });

  it('runs every function on nodejs22.x arm64 with JSON logs', () => {
    for (const [, f] of ofType('AWS::Lambda::Function')) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], LoggingConfig: { LogFormat: 'JSON' } });
    }
  });

  it('serves approvals and webhooks on a throttled, access-logged HTTP API', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey)
      .sort();
    expect(routes).toEqual([
      'GET /approvals/{id}',
      'GET /console',
      'GET /console/{proxy+}',
      'POST /approvals/{id}',
      'POST /console',
      'POST /console/{proxy+}',
      'POST /webhooks/{source}',
    ]);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
    });
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0];
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
    template.hasOutput('ApiUrl', {});
    template.hasOutput('BusName', {});
  });

  it('alarms on failures, timeouts, dead letters, errors and throttles to an encrypted topic emailing the admins', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const metric = (namespace: string, name: string) => alarms.filter((a) => a.Namespace === namespace && a.MetricName === name);
    expect(metric('AWS/States', 'ExecutionsFailed')).toHaveLength(os.workflows.length);
    expect(metric('AWS/States', 'ExecutionsTimedOut')).toHaveLength(os.workflows.length);
    expect(metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(metric('AWS/Lambda', 'Errors')).toHaveLength(functionIds.size);
    expect(metric('AWS/Lambda', 'Throttles')).toHaveLength(functionIds.size);
    const [topicId, topic] = ofType('AWS::SNS::Topic')[0];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    const subscribers = ofType('AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint);
    expect(subscribers).toEqual(os.people.filter((p) => p.roles.includes('admin')).map((p) => p.email));
    expect(JSON.stringify(ofType('AWS::SNS::TopicPolicy'))).toContain('aws:SecureTransport');
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe('AiosStack with embeddings on', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], embeddingsModel: 'amazon.titan-embed-text-v2:0' } });
  const t = Template.fromStack(new AiosStack(app, 'Aios', { os, env: { account: '123456789012', region: 'us-east-1' } })).toJSON().Resources as Record<
    string,
    Json
  >;

  it('tells the knowledge functions to embed with the model and lets exactly them invoke it', () => {
    const fns = Object.values(t).filter((r) => r.Type === 'AWS::Lambda::Function');
    const search = fns.find((r) => r.Properties.Environment.Variables.AIOS_TOOL_ID === 'knowledge.search')!;
    expect(search.Properties.Environment.Variables).toMatchObject({ AIOS_EMBEDDINGS: 'bedrock', AIOS_EMBEDDINGS_MODEL: 'amazon.titan-embed-text-v2:0' });
    expect(
      fns.find((r) => r.Properties.Environment.Variables.AIOS_TOOL_ID === 'refunds.issue')!.Properties.Environment.Variables.AIOS_EMBEDDINGS,
    ).toBeUndefined();
    const policies = Object.values(t).filter((r) => r.Type === 'AWS::IAM::Policy');
    const invoking = policies.filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('foundation-model/amazon.titan-embed-text-v2:0'));
    expect(invoking.length).toBeGreaterThanOrEqual(2);
  });
});

describe('AiosStack with options: tracing, ERROR logs, a partner bus', () => {
  const partnerOs = loadValidOs({
    ...exampleOs,
    workflows: exampleOs.workflows.map((w) =>
      w.id === 'weekly-review'
        ? { ...w, triggers: [{ kind: 'event' as const, bus: 'aws.partner/saas.example/acme/orders', pattern: { source: ['aws.partner/saas.example'] } }] }
        : w,
    ),
  });
  const optionsApp = new App({ context: { 'aws:cdk:bundling-stacks': [], tracing: 'true', logLevel: 'ERROR', retainData: 'false' } });
  const optionsStack = new AiosStack(optionsApp, 'AiosOptions', { os: partnerOs, env: { account: '123456789012', region: 'us-east-1' } });
  const t = Template.fromStack(optionsStack);
  const res = t.toJSON().Resources as Record<string, Json>;

  it('puts the partner-bus trigger on that bus, not on aios', () => {
    const rules = Object.values(res).filter((r) => r.Type === 'AWS::Events::Rule');
    const partner = rules.filter((r) => r.Properties.EventBusName === 'aws.partner/saas.example/acme/orders');
    expect(partner).toHaveLength(1);
    expect(partner[0].Properties.Targets[0].DeadLetterConfig).toBeDefined();
    expect(Object.entries(res).filter(([id, r]) => r.Type === 'AWS::Scheduler::Schedule' && id.startsWith('Schedules'))).toHaveLength(0);
  });

  it('applies tracing, the log level and the removal policy, and stays cdk-nag clean', () => {
    for (const m of Object.values(res).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')) {
      expect(m.Properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(m.Properties.LoggingConfiguration.Level).toBe('ERROR');
    }
    for (const f of Object.values(res).filter((r) => r.Type === 'AWS::Lambda::Function')) expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    for (const d of Object.values(res).filter((r) => r.Type === 'AWS::DynamoDB::Table')) expect(d.DeletionPolicy).toBe('Delete');
    const report = new AwsSolutionsChecks().validateScope(optionsStack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

test('every variable the stack gives a function is one the composition root reads (names from shared/composition/environment.ts)', () => {
  const known = new Set<string>([
    ...Object.values(ENVIRONMENT_VARIABLES),
    ...Object.values(TABLES).map((t) => t.env),
    'NODE_OPTIONS',
    'POWERTOOLS_SERVICE_NAME',
  ]);
  const read = (name: string) => known.has(name) || name.startsWith('AIOS_SECRET_ARN_') || name.startsWith('AIOS_EMBEDDINGS');
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
    Properties: { Environment?: { Variables?: Record<string, unknown> } };
  }[];
  const names = new Set(functions.flatMap((f) => Object.keys(f.Properties.Environment?.Variables ?? {})));
  expect(names.size).toBeGreaterThan(5);
  expect([...names].filter((n) => !read(n))).toEqual([]);
  // The string values (not CloudFormation references) parse as the root parses them.
  for (const f of functions) {
    const vars = Object.fromEntries(Object.entries(f.Properties.Environment?.Variables ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
    expect(() => parseEnvironment(vars)).not.toThrow();
  }
});
