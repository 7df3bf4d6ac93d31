/**
 * The local runtime's IAM: the deployment plan's statements for each function,
 * resolved to local names, decide requests described from their HTTP form.
 */
import exampleOs from '../../../examples/kestrel-coffee';
import { loadValidOs } from '../../../shared/definition';
import { planDeployment } from '../../../shared/deployment/deployment-plan';
import { PlannedPolicy, iamPattern } from '../../../local/iam/planned-policy';
import { accessKeyIdOf, describeRequest, ruleArn, type AwsRequestParts } from '../../../local/iam/request-action';

const region = 'us-east-1';
const accountId = '123456789012';
const machine = (id: string) => `arn:aws:states:${region}:${accountId}:stateMachine:${id}`;
const plan = planDeployment(loadValidOs(exampleOs));
const localRuleName = (workflowId: string, index: number) => `aios-wf-${workflowId}-${index}`;
const newPolicy = () =>
  new PlannedPolicy(plan, {
    region,
    accountId,
    tableName: (id) => `aios-${id}`,
    busName: 'aios',
    sender: 'AIOS <aios@localhost>',
    stateMachineArn: machine,
    payloadBucket: 'aios-payloads',
    auditArchiveBucket: 'aios-audit-archive',
    ruleArns: (id) => plan.rules.filter((r) => r.workflowId === id).map((r) => ruleArn({ region, accountId }, r.bus, localRuleName(id, r.index))),
  });
const policy = newPolicy();
const tokens: Record<string, string> = { 'token-sales': machine('sales-follow-up') };
const scope = { region, accountId, stateMachineOfToken: (t: string) => tokens[t] };

function json(target: string, body: unknown): AwsRequestParts {
  return { method: 'POST', url: '/', headers: { 'x-amz-target': target }, body: Buffer.from(JSON.stringify(body)) };
}
function rest(url: string, body: unknown): AwsRequestParts {
  return { method: 'POST', url, headers: {}, body: Buffer.from(JSON.stringify(body)) };
}
const decide = (fn: string, parts: AwsRequestParts) => policy.decide(fn, describeRequest(parts, scope)!);

describe('PlannedPolicy', () => {
  it('governs exactly the planned functions, by their deployed names', () => {
    expect(policy.governs('aios-agent-step')).toBe(true);
    expect(policy.governs('aios-tool-refunds-issue')).toBe(true);
    expect(policy.governs('local')).toBe(false);
    expect(policy.governs('AKIAIOSFODNN7EXAMPLE')).toBe(false);
  });

  it('allows a function what its statements give it, on its own resources only', () => {
    expect(decide('aios-tool-gate', json('DynamoDB_20120810.PutItem', { TableName: 'aios-state', Item: { pk: { S: 'x' }, sk: { S: 'y' } } }))).toEqual({
      allowed: true,
    });
    expect(decide('aios-tool-gate', json('DynamoDB_20120810.PutItem', { TableName: 'aios-knowledge', Item: { pk: { S: 'x' } } }))).toMatchObject({
      allowed: false,
    });
    expect(decide('aios-emit-event', json('AWSEvents.PutEvents', { Entries: [{ EventBusName: 'aios' }] }))).toEqual({ allowed: true });
    expect(decide('aios-emit-event', json('AWSEvents.PutEvents', { Entries: [{ EventBusName: 'default' }] }))).toMatchObject({ allowed: false });
  });

  it('denies an action the plan lacks, saying who, what and on which resource', () => {
    const d = decide('aios-tool-gate', json('AWSStepFunctions.SendTaskSuccess', { taskToken: 'token-sales', output: '{}' }));
    expect(d).toEqual({
      allowed: false,
      message: expect.stringMatching(
        /assumed-role\/aios-tool-gate\/aios-tool-gate is not authorized to perform: states:SendTaskSuccess on resource: arn:aws:states:us-east-1:123456789012:stateMachine:sales-follow-up/,
      ),
    });
    expect(decide('aios-agent-step', json('AWSEvents.PutEvents', { Entries: [{ EventBusName: 'aios' }] }))).toMatchObject({ allowed: false });
  });

  it('lets the approval pages answer the tokens of workflows that wait for approvals', () => {
    expect(decide('aios-approval-http', json('AWSStepFunctions.SendTaskSuccess', { taskToken: 'token-sales', output: '{}' }))).toEqual({ allowed: true });
    expect(decide('aios-approval-http', json('AWSStepFunctions.SendTaskFailure', { taskToken: 'token-unknown' }))).toMatchObject({ allowed: false });
  });

  it('lets approval-request resume a request already decided (SendTaskSuccess on its own workflow)', () => {
    // A click at the deadline decides the request while the escalation stage asks again: the request answers at once.
    expect(decide('aios-approval-request', json('AWSStepFunctions.SendTaskSuccess', { taskToken: 'token-sales', output: '{}' }))).toEqual({ allowed: true });
  });

  it('lets a tool write its run records but not an approval (dynamodb:LeadingKeys)', () => {
    const put = (pk: string) => json('DynamoDB_20120810.PutItem', { TableName: 'aios-state', Item: { pk: { S: pk }, sk: { S: 'x' } } });
    expect(decide('aios-tool-refunds-issue', put('run#r-1'))).toEqual({ allowed: true });
    expect(decide('aios-tool-refunds-issue', put('approval#a-1'))).toMatchObject({ allowed: false });
    expect(
      decide('aios-tool-refunds-issue', json('DynamoDB_20120810.GetItem', { TableName: 'aios-state', Key: { pk: { S: 'approval#a-1' }, sk: { S: 'x' } } })),
    ).toEqual({ allowed: true });
    expect(decide('aios-tool-refunds-issue', json('DynamoDB_20120810.Scan', { TableName: 'aios-state' }))).toMatchObject({ allowed: false });
  });

  it('allows the agents their model through the inference profile, and no other model', () => {
    const model = plan.functions
      .find((f) => f.id === 'agent-step')!
      .statements.flatMap((s) => s.resources)
      .find((r) => r.kind === 'inferenceProfile');
    expect(model).toEqual({ kind: 'inferenceProfile', profileId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' });
    expect(decide('aios-agent-step', rest('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse', {}))).toEqual({ allowed: true });
    expect(decide('aios-agent-step', rest('/model/anthropic.claude-opus-4-1-20250805-v1%3A0/converse', {}))).toMatchObject({ allowed: false });
    expect(decide('aios-tool-gate', rest('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse', {}))).toMatchObject({ allowed: false });
  });

  it('answers each request on its own: the same action on the same table is allowed or refused by its partition key', () => {
    const put = (pk: string) => json('DynamoDB_20120810.PutItem', { TableName: 'aios-state', Item: { pk: { S: pk }, sk: { S: 'x' } } });
    const fresh = newPolicy();
    const ask = (fn: string, parts: AwsRequestParts) => fresh.decide(fn, describeRequest(parts, scope)!);
    for (let i = 0; i < 3; i++) {
      expect(ask('aios-tool-refunds-issue', put(`run#r-${i}`))).toEqual({ allowed: true });
      expect(ask('aios-tool-refunds-issue', put(`approval#a-${i}`))).toMatchObject({ allowed: false });
      // Same table, an action the function is not granted.
      expect(ask('aios-tool-refunds-issue', json('DynamoDB_20120810.Scan', { TableName: 'aios-state' }))).toMatchObject({ allowed: false });
      // Another function, same action and resource.
      expect(ask('aios-knowledge-sync', put(`run#r-${i}`))).toMatchObject({ allowed: false });
    }
  });

  it('lets approval-request write a new approval’s index entries in one batch, and nothing else a batch could overwrite', () => {
    const batch = (...pks: string[]) =>
      json('DynamoDB_20120810.BatchWriteItem', {
        RequestItems: { 'aios-state': pks.map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: 'x' } } } })) },
      });
    expect(decide('aios-approval-request', batch('approval-open', 'run#r-1', 'approver#sam'))).toEqual({ allowed: true });
    expect(decide('aios-approval-request', batch('approval-open', 'approval#a-1'))).toMatchObject({ allowed: false });
    expect(decide('aios-approval-request', batch('approval-call#r-1#s#t'))).toMatchObject({ allowed: false });
    expect(decide('aios-approval-http', batch('approval-open'))).toMatchObject({ allowed: false });
  });

  it('holds email to the sender address (ses:FromAddress)', () => {
    expect(decide('aios-tool-email-send', rest('/v2/email/outbound-emails', { FromEmailAddress: 'Kestrel <aios@localhost>' }))).toEqual({ allowed: true });
    expect(decide('aios-tool-email-send', rest('/v2/email/outbound-emails', { FromEmailAddress: 'ceo@kestrel.coffee' }))).toMatchObject({ allowed: false });
    expect(decide('aios-tool-gate', rest('/v2/email/outbound-emails', { FromEmailAddress: 'aios@localhost' }))).toMatchObject({ allowed: false });
  });
});

describe('describeRequest', () => {
  it('names every table of a batch and the partition keys it touches', () => {
    const d = describeRequest(
      json('DynamoDB_20120810.BatchWriteItem', {
        RequestItems: { 'aios-state': [{ PutRequest: { Item: { pk: { S: 'RUN#1' } } } }, { DeleteRequest: { Key: { pk: { S: 'RUN#2' } } } }] },
      }),
      scope,
    );
    expect(d).toMatchObject({
      action: 'dynamodb:BatchWriteItem',
      resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/aios-state'],
      context: { 'dynamodb:LeadingKeys': ['RUN#1', 'RUN#2'] },
    });
  });

  it('reads the partition key of a query from its key condition', () => {
    const d = describeRequest(
      json('DynamoDB_20120810.Query', {
        TableName: 't',
        KeyConditionExpression: '#pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': { S: 'APPROVAL#a1' }, ':p': { S: 'x' } },
      }),
      scope,
    );
    expect(d?.context['dynamodb:LeadingKeys']).toEqual(['APPROVAL#a1']);
  });

  it('leaves requests that are not AWS calls undescribed', () => {
    expect(describeRequest({ method: 'GET', url: '/health', headers: {}, body: Buffer.alloc(0) }, scope)).toBeUndefined();
  });

  it('reads the access key id from a SigV4 Authorization header', () => {
    expect(
      accessKeyIdOf({
        authorization: 'AWS4-HMAC-SHA256 Credential=aios-agent-step/20261206/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc',
      }),
    ).toBe('aios-agent-step');
    expect(accessKeyIdOf({})).toBeUndefined();
  });

  it('matches IAM wildcards', () => {
    expect(iamPattern('arn:aws:bedrock:*::foundation-model/x').test('arn:aws:bedrock:eu-west-1::foundation-model/x')).toBe(true);
    expect(iamPattern('dynamodb:Get*', true).test('dynamodb:getitem')).toBe(true);
    expect(iamPattern('a.b').test('axb')).toBe(false);
  });

  describe('the console steers the workflows through its planned statements', () => {
    const steered = plan.rules[0];
    const events = (operation: string, body: unknown) => json(`AWSEvents.${operation}`, body);

    it('may disable and enable a workflow’s own rule, on the bus it is on', () => {
      const rule = { EventBusName: steered.bus, Name: localRuleName(steered.workflowId, steered.index) };
      expect(describeRequest(events('DisableRule', rule), scope)!.resources).toEqual([
        `arn:aws:events:${region}:${accountId}:rule/${steered.bus}/${rule.Name}`,
      ]);
      expect(decide('aios-console', events('DisableRule', rule))).toEqual({ allowed: true });
      expect(decide('aios-console', events('EnableRule', rule))).toEqual({ allowed: true });
    });

    it('may not disable another rule, nor may a function without the need', () => {
      const other = decide('aios-console', events('DisableRule', { EventBusName: steered.bus, Name: 'someone-elses-rule' }));
      expect(other).toMatchObject({
        allowed: false,
        message: expect.stringContaining(`events:DisableRule on resource: arn:aws:events:${region}:${accountId}:rule/${steered.bus}/someone-elses-rule`),
      });
      expect(
        decide('aios-agent-step', events('DisableRule', { EventBusName: steered.bus, Name: localRuleName(steered.workflowId, steered.index) })).allowed,
      ).toBe(false);
    });

    it('names a rule on the default bus without the bus, and a bus given by ARN by its name', () => {
      expect(describeRequest(events('DescribeRule', { Name: 'r' }), scope)!.resources).toEqual([`arn:aws:events:${region}:${accountId}:rule/r`]);
      const byArn = { EventBusName: `arn:aws:events:${region}:${accountId}:event-bus/aios`, Name: 'r' };
      expect(describeRequest(events('EnableRule', byArn), scope)!.resources).toEqual([`arn:aws:events:${region}:${accountId}:rule/aios/r`]);
    });

    it('reads and stops runs of the workflows’ machines only', () => {
      const run = `arn:aws:states:${region}:${accountId}:execution:${steered.workflowId}:run-1`;
      expect(decide('aios-console', json('AWSStepFunctions.ListExecutions', { stateMachineArn: machine(steered.workflowId) }))).toEqual({ allowed: true });
      for (const op of ['DescribeExecution', 'GetExecutionHistory', 'StopExecution']) {
        expect(decide('aios-console', json(`AWSStepFunctions.${op}`, { executionArn: run }))).toEqual({ allowed: true });
        expect(
          decide('aios-console', json(`AWSStepFunctions.${op}`, { executionArn: `arn:aws:states:${region}:${accountId}:execution:not-ours:run-1` })).allowed,
        ).toBe(false);
      }
      // Listing machines cannot be narrowed to resources: the console is told its machines instead.
      expect(decide('aios-console', json('AWSStepFunctions.ListStateMachines', {})).allowed).toBe(false);
    });
  });
});
