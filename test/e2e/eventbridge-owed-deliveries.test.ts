/**
 * An event PutEvents acknowledged reaches its targets at least once, even when
 * the process stops before delivering it: the deliveries an event owes are
 * stored with it before PutEvents answers, and the next start resumes them.
 * A crash is the first instance abandoned mid-delivery (its store closed under
 * it, nothing drained); only what it committed to the data folder survives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { createAwsClients } from '../../shared/aws/clients';
import { EventBridgeService, EventBridgeStore, type EventTargetPorts } from '../../local/eventbridge';
import { startLocalHttpServer } from '../../local/server/local-http-server';

const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:sales-follow-up';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:aios-tool-crm-note';
const RETRY = { attempts: 2, delayMs: 1 };

/** Targets that record what reached them. */
class RecordingTargets implements EventTargetPorts {
  executions: Array<{ stateMachineArn: string; input: string }> = [];
  invocations: Array<{ name: string; payload: unknown }> = [];

  async startExecution(request: { stateMachineArn: string; input: string }): Promise<unknown> {
    this.executions.push(request);
    return { executionArn: `${request.stateMachineArn}:x` };
  }

  async invokeFunction(name: string, payload: unknown): Promise<unknown> {
    this.invocations.push({ name, payload });
    return null;
  }
}

/** Targets that take the call and never answer: the process dies while the delivery is under way. */
class HangingTargets implements EventTargetPorts {
  calls = 0;

  startExecution(): Promise<unknown> {
    this.calls++;
    return new Promise(() => {});
  }

  invokeFunction(): Promise<unknown> {
    this.calls++;
    return new Promise(() => {});
  }
}

/** Targets going away, as the Step Functions engine does while the runtime shuts down. */
class RefusingTargets implements EventTargetPorts {
  async startExecution(): Promise<unknown> {
    throw Object.assign(new Error('engine closed'), { name: 'ServiceUnavailable' });
  }

  async invokeFunction(): Promise<unknown> {
    throw Object.assign(new Error('engine closed'), { name: 'ServiceUnavailable' });
  }
}

function open(dataDir: string, targets: EventTargetPorts) {
  const store = new EventBridgeStore(dataDir);
  return { store, service: new EventBridgeService({ store, targets, retry: RETRY }) };
}

const deliveriesOf = async (service: EventBridgeService, eventId: string) => {
  const listed = (await service.handle('LocalListEvents', {})) as { Events: Array<{ EventId: string; Deliveries: Array<Record<string, unknown>> }> };
  const deliveries = listed.Events.find((e) => e.EventId === eventId)?.Deliveries ?? [];
  return deliveries.sort((a, b) => String(a.TargetId).localeCompare(String(b.TargetId)));
};

describe('deliveries an accepted event owes survive a stop', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-eb-owed-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('an event acknowledged just before a crash is delivered to every target after the restart, once', async () => {
    const hanging = new HangingTargets();
    const first = open(dataDir, hanging);
    const server = await startLocalHttpServer({ services: [first.service] });
    const client = createAwsClients({ endpoint: server.url, region: 'us-east-1' }).eventBridge();
    await client.send(new PutRuleCommand({ Name: 'sales', EventPattern: JSON.stringify({ source: ['hubspot'] }) }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'sales',
        Targets: [
          { Id: 'run', Arn: STATE_MACHINE },
          { Id: 'note', Arn: FUNCTION, InputPath: '$.detail' },
        ],
      }),
    );
    const put = await client.send(new PutEventsCommand({ Entries: [{ Source: 'hubspot', DetailType: 'contact.created', Detail: '{"contactId":"c-1"}' }] }));
    expect(put.FailedEntryCount).toBe(0);
    const eventId = put.Entries?.[0].EventId as string;
    expect(hanging.calls).toBe(2);
    // The crash: nothing drains, nothing is recorded after this point.
    client.destroy();
    await server.close();
    first.store.close();

    const targets = new RecordingTargets();
    const second = open(dataDir, targets);
    expect(second.service.resumeDeliveries()).toBe(2);
    expect(second.service.resumeDeliveries()).toBe(0); // already under way: not started twice
    await second.service.whenIdle();
    expect(targets.executions).toHaveLength(1);
    expect(targets.executions[0].stateMachineArn).toBe(STATE_MACHINE);
    expect(JSON.parse(targets.executions[0].input)).toMatchObject({ id: eventId, source: 'hubspot', detail: { contactId: 'c-1' } });
    expect(targets.invocations).toEqual([{ name: 'aios-tool-crm-note', payload: { contactId: 'c-1' } }]);
    expect(await deliveriesOf(second.service, eventId)).toEqual([
      { Rule: 'sales', TargetId: 'note', TargetArn: FUNCTION, Status: 'delivered', Attempts: 1 },
      { Rule: 'sales', TargetId: 'run', TargetArn: STATE_MACHINE, Status: 'delivered', Attempts: 1 },
    ]);
    await second.service.close();

    // Delivered and settled: a further start owes nothing.
    const third = open(dataDir, new RecordingTargets());
    expect(third.service.resumeDeliveries()).toBe(0);
    await third.service.close();
  });

  it('a delivery refused while the service closes stays owed and is delivered at the next start', async () => {
    const first = open(dataDir, new RefusingTargets());
    await first.service.handle('PutRule', { Name: 'sales', EventPattern: JSON.stringify({ source: ['hubspot'] }) });
    await first.service.handle('PutTargets', { Rule: 'sales', Targets: [{ Id: 'run', Arn: STATE_MACHINE }] });
    const put = (await first.service.handle('PutEvents', { Entries: [{ Source: 'hubspot', DetailType: 'contact.created', Detail: '{}' }] })) as {
      Entries: Array<{ EventId: string }>;
    };
    const eventId = put.Entries[0].EventId;
    await first.service.close();

    const targets = new RecordingTargets();
    const second = open(dataDir, targets);
    expect(await deliveriesOf(second.service, eventId)).toEqual([]);
    expect(second.service.resumeDeliveries()).toBe(1);
    await second.service.whenIdle();
    expect(targets.executions.map((e) => (JSON.parse(e.input) as { id: string }).id)).toEqual([eventId]);
    expect(await deliveriesOf(second.service, eventId)).toEqual([
      { Rule: 'sales', TargetId: 'run', TargetArn: STATE_MACHINE, Status: 'delivered', Attempts: 1 },
    ]);
    await second.service.close();
  });

  it('a delivery that fails while running is recorded as failed and not owed any more', async () => {
    const first = open(dataDir, new RefusingTargets());
    await first.service.handle('PutRule', { Name: 'sales', EventPattern: JSON.stringify({ source: ['hubspot'] }) });
    await first.service.handle('PutTargets', { Rule: 'sales', Targets: [{ Id: 'run', Arn: STATE_MACHINE }] });
    const put = (await first.service.handle('PutEvents', { Entries: [{ Source: 'hubspot', DetailType: 'contact.created', Detail: '{}' }] })) as {
      Entries: Array<{ EventId: string }>;
    };
    await first.service.whenIdle();
    expect(await deliveriesOf(first.service, put.Entries[0].EventId)).toEqual([
      { Rule: 'sales', TargetId: 'run', TargetArn: STATE_MACHINE, Status: 'failed', Attempts: 2, Error: 'ServiceUnavailable: engine closed' },
    ]);
    await first.service.close();

    const second = open(dataDir, new RecordingTargets());
    expect(second.service.resumeDeliveries()).toBe(0);
    await second.service.close();
  });
});
