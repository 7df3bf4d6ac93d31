/**
 * The local EventBridge driven through the real @aws-sdk/client-eventbridge,
 * mounted on the one-port local server (port 0). Targets are reached through
 * in-test ports that record what they receive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { createAwsClients } from '../../shared/aws/clients';
import { createEventBridgeService, type EventBridgeService, type EventTargetPorts } from '../../local/eventbridge';
import { type RunningServer, startLocalHttpServer } from '../../local/server/local-http-server';

const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:support-desk';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:aios-tool-crm-note';

class RecordingTargets implements EventTargetPorts {
  executions: Array<{ stateMachineArn: string; input: string }> = [];
  invocations: Array<{ name: string; payload: unknown }> = [];
  /** Calls to fail before succeeding (per call to startExecution). */
  failNext = 0;

  async startExecution(request: { stateMachineArn: string; input: string }): Promise<unknown> {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('engine unavailable'), { name: 'ServiceUnavailable' });
    }
    this.executions.push(request);
    return { executionArn: `${request.stateMachineArn}:x` };
  }

  async invokeFunction(name: string, payload: unknown): Promise<unknown> {
    this.invocations.push({ name, payload });
    return null;
  }
}

interface Runtime {
  service: EventBridgeService;
  server: RunningServer;
  client: EventBridgeClient;
  targets: RecordingTargets;
  stop(): Promise<void>;
}

async function startRuntime(dataDir: string): Promise<Runtime> {
  const targets = new RecordingTargets();
  const service = createEventBridgeService({ dataDir, targets, retry: { attempts: 3, delayMs: 1 } });
  const server = await startLocalHttpServer({ services: [service] });
  service.resumeDeliveries();
  const client = createAwsClients({ endpoint: server.url, region: 'us-east-1' }).eventBridge();
  return {
    service,
    server,
    client,
    targets,
    async stop() {
      client.destroy();
      await server.close();
      await service.close();
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const detail = (value: unknown) => JSON.stringify(value);

describe('local EventBridge through the AWS SDK', () => {
  let dataDir: string;
  let rt: Runtime;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-eb-'));
    rt = await startRuntime(dataDir);
  });

  afterEach(async () => {
    await rt.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('manages event buses; the default bus always exists', async () => {
    const def = await rt.client.send(new DescribeEventBusCommand({}));
    expect(def).toMatchObject({ Name: 'default', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' });

    const created = await rt.client.send(new CreateEventBusCommand({ Name: 'aios', Description: 'the AI OS bus' }));
    expect(created.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/aios');
    expect(await rejection(rt.client.send(new CreateEventBusCommand({ Name: 'aios' })))).toBeInstanceOf(ResourceAlreadyExistsException);

    const byArn = await rt.client.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    expect(byArn).toMatchObject({ Name: 'aios', Description: 'the AI OS bus' });
    expect(byArn.CreationTime).toBeInstanceOf(Date);

    const listed = await rt.client.send(new ListEventBusesCommand({}));
    expect(listed.EventBuses?.map((b) => b.Name)).toEqual(['aios', 'default']);
    const paged = await rt.client.send(new ListEventBusesCommand({ Limit: 1 }));
    expect(paged.EventBuses).toHaveLength(1);
    const rest = await rt.client.send(new ListEventBusesCommand({ Limit: 1, NextToken: paged.NextToken }));
    expect(rest.EventBuses?.map((b) => b.Name)).toEqual(['default']);
    expect(rest.NextToken).toBeUndefined();

    await rt.client.send(new DeleteEventBusCommand({ Name: 'aios' }));
    expect(await rejection(rt.client.send(new DescribeEventBusCommand({ Name: 'aios' })))).toBeInstanceOf(ResourceNotFoundException);
    expect((await rejection(rt.client.send(new DeleteEventBusCommand({ Name: 'default' })))).name).toBe('ValidationException');
  });

  it('manages rules and refuses invalid patterns with InvalidEventPatternException', async () => {
    await rt.client.send(new CreateEventBusCommand({ Name: 'aios' }));
    const pattern = JSON.stringify({ source: ['zendesk'], 'detail-type': ['ticket.created'] });
    const put = await rt.client.send(new PutRuleCommand({ Name: 'support-desk', EventBusName: 'aios', EventPattern: pattern, Description: 'triage' }));
    expect(put.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/aios/support-desk');

    const bad = await rejection(rt.client.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'aios', EventPattern: JSON.stringify({ source: [] }) })));
    expect(bad).toBeInstanceOf(InvalidEventPatternException);
    expect(bad.message).toContain('$.source: empty arrays are not allowed');
    expect(await rejection(rt.client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{not json' })))).toBeInstanceOf(InvalidEventPatternException);
    expect(await rejection(rt.client.send(new PutRuleCommand({ Name: 'x', EventBusName: 'nope', EventPattern: pattern })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect((await rejection(rt.client.send(new PutRuleCommand({ Name: 'x', EventBusName: 'aios' })))).name).toBe('ValidationException');

    expect(await rt.client.send(new DescribeRuleCommand({ Name: 'support-desk', EventBusName: 'aios' }))).toMatchObject({
      Name: 'support-desk',
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'triage',
      EventBusName: 'aios',
    });
    expect(await rejection(rt.client.send(new DescribeRuleCommand({ Name: 'missing', EventBusName: 'aios' })))).toBeInstanceOf(ResourceNotFoundException);

    await rt.client.send(new DisableRuleCommand({ Name: 'support-desk', EventBusName: 'aios' }));
    expect((await rt.client.send(new DescribeRuleCommand({ Name: 'support-desk', EventBusName: 'aios' }))).State).toBe('DISABLED');
    await rt.client.send(new EnableRuleCommand({ Name: 'support-desk', EventBusName: 'aios' }));
    expect((await rt.client.send(new DescribeRuleCommand({ Name: 'support-desk', EventBusName: 'aios' }))).State).toBe('ENABLED');
    expect(await rejection(rt.client.send(new EnableRuleCommand({ Name: 'missing', EventBusName: 'aios' })))).toBeInstanceOf(ResourceNotFoundException);

    await rt.client.send(new PutRuleCommand({ Name: 'sales-follow-up', EventBusName: 'aios', EventPattern: JSON.stringify({ source: ['hubspot'] }) }));
    const rules = await rt.client.send(new ListRulesCommand({ EventBusName: 'aios' }));
    expect(rules.Rules?.map((r) => r.Name)).toEqual(['sales-follow-up', 'support-desk']);
    expect((await rt.client.send(new ListRulesCommand({ EventBusName: 'aios', NamePrefix: 'sup' }))).Rules?.map((r) => r.Name)).toEqual(['support-desk']);

    await rt.client.send(new PutTargetsCommand({ Rule: 'support-desk', EventBusName: 'aios', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] }));
    expect((await rejection(rt.client.send(new DeleteRuleCommand({ Name: 'support-desk', EventBusName: 'aios' })))).message).toContain('has targets');
    await rt.client.send(new RemoveTargetsCommand({ Rule: 'support-desk', EventBusName: 'aios', Ids: ['sfn'] }));
    await rt.client.send(new DeleteRuleCommand({ Name: 'support-desk', EventBusName: 'aios' }));
    expect((await rt.client.send(new ListRulesCommand({ EventBusName: 'aios' }))).Rules?.map((r) => r.Name)).toEqual(['sales-follow-up']);
  });

  it('manages targets: per-entry failures, limits, listing and removal', async () => {
    await rt.client.send(new PutRuleCommand({ Name: 'r', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    const result = await rt.client.send(
      new PutTargetsCommand({
        Rule: 'r',
        Targets: [
          { Id: 'sfn', Arn: STATE_MACHINE, InputPath: '$.detail' },
          { Id: 'fn', Arn: FUNCTION },
          { Id: 'sqs', Arn: 'arn:aws:sqs:us-east-1:000000000000:queue' },
          { Id: 'both', Arn: FUNCTION, Input: '{}', InputPath: '$.detail' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.FailedEntries?.map((f) => f.TargetId)).toEqual(['sqs', 'both']);
    const listed = await rt.client.send(new ListTargetsByRuleCommand({ Rule: 'r' }));
    expect(listed.Targets).toEqual([
      { Id: 'fn', Arn: FUNCTION },
      { Id: 'sfn', Arn: STATE_MACHINE, InputPath: '$.detail' },
    ]);
    const tooMany = Array.from({ length: 4 }, (_, i) => ({ Id: `t${i}`, Arn: FUNCTION }));
    expect(await rejection(rt.client.send(new PutTargetsCommand({ Rule: 'r', Targets: tooMany })))).toBeInstanceOf(LimitExceededException);
    expect(await rejection(rt.client.send(new PutTargetsCommand({ Rule: 'missing', Targets: [{ Id: 'a', Arn: FUNCTION }] })))).toBeInstanceOf(
      ResourceNotFoundException,
    );

    const removed = await rt.client.send(new RemoveTargetsCommand({ Rule: 'r', Ids: ['fn', 'ghost'] }));
    expect(removed.FailedEntryCount).toBe(1);
    expect(removed.FailedEntries?.[0]).toMatchObject({ TargetId: 'ghost', ErrorCode: 'ResourceNotFoundException' });
    expect((await rt.client.send(new ListTargetsByRuleCommand({ Rule: 'r' }))).Targets?.map((t) => t.Id)).toEqual(['sfn']);
  });

  it('PutEvents gives per-entry results and errors as AWS does', async () => {
    const result = await rt.client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'order.paid', Detail: detail({ orderId: 'o-1' }) },
          { DetailType: 'x', Detail: '{}' },
          { Source: 'shop', Detail: '{}' },
          { Source: 'shop', DetailType: 'x' },
          { Source: 'shop', DetailType: 'x', Detail: '[1, 2]' },
          { Source: 'shop', DetailType: 'x', Detail: '{not json' },
          { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
          { Source: 'shop', DetailType: 'x', Detail: '{}', EventBusName: 'missing' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(7);
    expect(result.Entries?.[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.slice(1).map((e) => e.ErrorCode)).toEqual([
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'InvalidArgument',
    ]);
    expect(result.Entries?.[1].ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    expect(result.Entries?.[3].ErrorMessage).toBe('Parameter Detail is not valid. Reason: Detail is a required argument.');

    const eleven = Array.from({ length: 11 }, () => ({ Source: 'shop', DetailType: 'x', Detail: '{}' }));
    expect((await rejection(rt.client.send(new PutEventsCommand({ Entries: eleven })))).name).toBe('ValidationException');
    const big = detail({ blob: 'x'.repeat(130 * 1024) });
    const tooLarge = await rejection(rt.client.send(new PutEventsCommand({ Entries: [1, 2].map(() => ({ Source: 'shop', DetailType: 'x', Detail: big })) })));
    expect(tooLarge.name).toBe('ValidationException');
    expect(tooLarge.message).toContain('over the limit');
  });

  it('routes a matching event to a state machine (the event is the execution input) and to a function', async () => {
    await rt.client.send(new CreateEventBusCommand({ Name: 'aios' }));
    await rt.client.send(
      new PutRuleCommand({
        Name: 'refunds',
        EventBusName: 'aios',
        EventPattern: JSON.stringify({ source: ['stripe'], detail: { amount: [{ numeric: ['>', 50] }] } }),
      }),
    );
    await rt.client.send(
      new PutTargetsCommand({
        Rule: 'refunds',
        EventBusName: 'aios',
        Targets: [
          { Id: 'sfn', Arn: STATE_MACHINE },
          { Id: 'fn', Arn: FUNCTION },
        ],
      }),
    );
    const time = new Date('2026-03-01T10:00:00Z');
    const put = await rt.client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'aios', Source: 'stripe', DetailType: 'charge.dispute.created', Detail: detail({ amount: 120 }), Time: time, Resources: ['arn:x'] },
          { EventBusName: 'aios', Source: 'stripe', DetailType: 'charge.dispute.created', Detail: detail({ amount: 20 }) },
          { Source: 'stripe', DetailType: 'on the default bus', Detail: detail({ amount: 120 }) },
        ],
      }),
    );
    await rt.service.whenIdle();

    expect(rt.targets.executions).toHaveLength(1);
    const execution = rt.targets.executions[0];
    expect(execution.stateMachineArn).toBe(STATE_MACHINE);
    expect(JSON.parse(execution.input)).toEqual({
      version: '0',
      id: put.Entries?.[0].EventId,
      'detail-type': 'charge.dispute.created',
      source: 'stripe',
      account: '000000000000',
      time: '2026-03-01T10:00:00Z',
      region: 'us-east-1',
      resources: ['arn:x'],
      detail: { amount: 120 },
    });
    expect(rt.targets.invocations).toEqual([{ name: 'aios-tool-crm-note', payload: JSON.parse(execution.input) }]);
  });

  it('applies InputPath, Input and InputTransformer (with the aws.events built-ins)', async () => {
    await rt.client.send(new PutRuleCommand({ Name: 'tickets', EventPattern: JSON.stringify({ source: ['zendesk'] }) }));
    await rt.client.send(
      new PutTargetsCommand({
        Rule: 'tickets',
        Targets: [
          { Id: 'path', Arn: `${STATE_MACHINE}-path`, InputPath: '$.detail.ticket' },
          { Id: 'constant', Arn: `${STATE_MACHINE}-constant`, Input: '{"fixed":true}' },
          {
            Id: 'transform',
            Arn: `${STATE_MACHINE}-transform`,
            InputTransformer: {
              InputPathsMap: { id: '$.detail.ticket.id', subject: '$.detail.ticket.subject', tags: '$.detail.ticket.tags', missing: '$.detail.nope' },
              InputTemplate:
                '{"ticketId": <id>, "line": "Ticket <id>: <subject>", "tags": <tags>, "missing": <missing>, "rule": "<aws.events.rule-name>", "original": <aws.events.event>}',
            },
          },
        ],
      }),
    );
    const ticket = { id: 42, subject: 'Beans arrived "stale"', tags: ['quality'] };
    await rt.client.send(new PutEventsCommand({ Entries: [{ Source: 'zendesk', DetailType: 'ticket.created', Detail: detail({ ticket }) }] }));
    await rt.service.whenIdle();

    const byArn = new Map(rt.targets.executions.map((e) => [e.stateMachineArn.split('-').pop(), JSON.parse(e.input) as Record<string, unknown>]));
    expect(byArn.get('path')).toEqual(ticket);
    expect(byArn.get('constant')).toEqual({ fixed: true });
    const transformed = byArn.get('transform');
    expect(transformed).toMatchObject({ ticketId: 42, line: 'Ticket 42: Beans arrived "stale"', tags: ['quality'], missing: null, rule: 'tickets' });
    expect((transformed?.original as { detail: unknown }).detail).toEqual({ ticket });
  });

  it('does not deliver to disabled rules', async () => {
    await rt.client.send(new PutRuleCommand({ Name: 'off', EventPattern: JSON.stringify({ source: ['shop'] }), State: 'DISABLED' }));
    await rt.client.send(new PutTargetsCommand({ Rule: 'off', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] }));
    await rt.client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}' }] }));
    await rt.service.whenIdle();
    expect(rt.targets.executions).toEqual([]);
  });

  it('retries a failing delivery, then records it without failing PutEvents', async () => {
    await rt.client.send(new PutRuleCommand({ Name: 'r', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await rt.client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] }));

    rt.targets.failNext = 2; // succeeds on the third try
    const first = await rt.client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'a', Detail: '{}' }] }));
    await rt.service.whenIdle();
    expect(first.FailedEntryCount).toBe(0);
    expect(rt.targets.executions).toHaveLength(1);

    rt.targets.failNext = 5; // never succeeds within 3 tries
    const second = await rt.client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'b', Detail: '{}' }] }));
    await rt.service.whenIdle();
    expect(second.FailedEntryCount).toBe(0);
    expect(rt.targets.executions).toHaveLength(1);

    const listed = (await rt.service.handle('LocalListEvents', {})) as { Events: Array<{ EventId: string; Deliveries: unknown[] }> };
    expect(listed.Events.map((e) => e.EventId)).toEqual([second.Entries?.[0].EventId, first.Entries?.[0].EventId]);
    expect(listed.Events[0].Deliveries).toEqual([
      { Rule: 'r', TargetId: 'sfn', TargetArn: STATE_MACHINE, Status: 'failed', Attempts: 3, Error: 'ServiceUnavailable: engine unavailable' },
    ]);
    expect(listed.Events[1].Deliveries).toEqual([{ Rule: 'r', TargetId: 'sfn', TargetArn: STATE_MACHINE, Status: 'delivered', Attempts: 3 }]);
  });

  it('TestEventPattern answers with the compiled matcher and refuses invalid patterns', async () => {
    const event = detail({
      id: '1',
      account: '1',
      source: 'shop',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      'detail-type': 'x',
      detail: { amount: 3.0 },
    });
    const yes = await rt.client.send(new TestEventPatternCommand({ EventPattern: detail({ detail: { amount: [3] } }), Event: event }));
    expect(yes.Result).toBe(true);
    const no = await rt.client.send(new TestEventPatternCommand({ EventPattern: detail({ detail: { amount: ['3'] } }), Event: event }));
    expect(no.Result).toBe(false);
    const invalid = await rejection(
      rt.client.send(new TestEventPatternCommand({ EventPattern: detail({ detail: { amount: [{ numeric: ['>'] }] } }), Event: event })),
    );
    expect(invalid).toBeInstanceOf(InvalidEventPatternException);
    expect(invalid.message).toContain('$.detail.amount[0].numeric[1]');
    expect((await rejection(rt.client.send(new TestEventPatternCommand({ EventPattern: detail({ a: ['b'] }), Event: '{}' })))).name).toBe(
      'ValidationException',
    );
  });

  it('keeps buses, rules, targets and the archive across a restart, and replays an archived event', async () => {
    await rt.client.send(new CreateEventBusCommand({ Name: 'aios' }));
    await rt.client.send(new PutRuleCommand({ Name: 'r', EventBusName: 'aios', EventPattern: JSON.stringify({ source: ['hubspot'] }) }));
    await rt.client.send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'aios', Targets: [{ Id: 'sfn', Arn: STATE_MACHINE }] }));
    const put = await rt.client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: 'hubspot', DetailType: 'contact.created', Detail: detail({ contactId: 'c-9' }) }] }),
    );
    const eventId = put.Entries?.[0].EventId as string;
    await rt.stop();

    rt = await startRuntime(dataDir);
    expect((await rt.client.send(new ListTargetsByRuleCommand({ Rule: 'r', EventBusName: 'aios' }))).Targets?.map((t) => t.Id)).toEqual(['sfn']);
    const listed = (await rt.service.handle('LocalListEvents', { Source: 'hubspot' })) as { Events: Array<{ EventId: string; Event: string }> };
    expect(listed.Events.map((e) => e.EventId)).toEqual([eventId]);

    const replay = (await rt.service.handle('LocalReplayEvent', { EventId: eventId })) as { MatchedRules: string[]; ReplayName: string };
    await rt.service.whenIdle();
    expect(replay.MatchedRules).toEqual(['r']);
    expect(rt.targets.executions).toHaveLength(1);
    const input = JSON.parse(rt.targets.executions[0].input) as Record<string, unknown>;
    expect(input).toMatchObject({ id: eventId, source: 'hubspot', detail: { contactId: 'c-9' }, 'replay-name': replay.ReplayName });
    await expect(rt.service.handle('LocalReplayEvent', { EventId: 'nope' })).rejects.toMatchObject({ type: 'ResourceNotFoundException' });
  });
});
