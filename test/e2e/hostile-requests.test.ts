/**
 * Issue 18: hostile requests against the local runtime's APIs, through the
 * real AWS SDK clients and raw HTTP. Each is refused at the edge with a clear
 * 4xx and nothing else is disturbed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, InvalidExecutionInput, InvalidOutput, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createEventBridgeService, EventBridgeStore, type EventBridgeService } from '../../local/eventbridge';
import { FunctionRegistry } from '../../local/functions';
import { startLocalHttpServer, type RunningServer } from '../../local/server/local-http-server';
import { openStepFunctions, type LocalStepFunctions } from '../../local/stepfunctions';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';

let dataDir: string;
let sfn: LocalStepFunctions;
let eventBridge: EventBridgeService;
let server: RunningServer;
let aws: AwsClients;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-hostile-'));
  sfn = openStepFunctions({ dataDir, functions: new FunctionRegistry() });
  eventBridge = createEventBridgeService({ dataDir, targets: { startExecution: async () => ({}), invokeFunction: async () => null } });
  server = await startLocalHttpServer({ services: [sfn.service, eventBridge] });
  aws = createAwsClients({ endpoint: server.url, region: 'us-east-1' }, {});
});

afterAll(async () => {
  await server.close();
  sfn.close();
  await eventBridge.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const nested = (levels: number) => '{"a":'.repeat(levels) + '0' + '}'.repeat(levels);

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('input nesting past the documented limit (1,000 levels) is refused at the API with a 400', () => {
  test('StartExecution and SendTaskSuccess', async () => {
    const { stateMachineArn } = await aws.sfn().send(
      new CreateStateMachineCommand({
        name: 'copies',
        roleArn: 'arn:aws:iam::123456789012:role/r',
        definition: JSON.stringify({ StartAt: 'Copy', States: { Copy: { Type: 'Pass', Parameters: { 'copy.$': '$' }, End: true } } }),
      }),
    );
    const refused = await rejection(aws.sfn().send(new StartExecutionCommand({ stateMachineArn, input: nested(4_200) })));
    expect(refused).toBeInstanceOf(InvalidExecutionInput);
    expect(refused.$metadata?.httpStatusCode).toBe(400);
    expect(refused.message).toMatch(/nested 4200 levels deep; at most 1000/);

    // At the limit the execution runs to its end.
    const { executionArn } = await aws.sfn().send(new StartExecutionCommand({ stateMachineArn, input: nested(999) }));
    expect((await sfn.engine.waitForExecution(executionArn!)).status).toBe('SUCCEEDED');

    const output = await rejection(aws.sfn().send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(40), output: nested(1_001) })));
    expect(output).toBeInstanceOf(InvalidOutput);
  });

  test('PutEvents fails an entry whose Detail nests deeper, and keeps the others', async () => {
    const out = await aws.eventBridge().send(
      new PutEventsCommand({
        Entries: [
          { Source: 'test.app', DetailType: 'deep', Detail: nested(1_001) },
          { Source: 'test.app', DetailType: 'fine', Detail: '{"ok":true}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries![0]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(out.Entries![0].ErrorMessage).toMatch(/1001 levels/);
    expect(out.Entries![1].EventId).toEqual(expect.any(String));
  });
});

test('a DetailType longer than 128 characters is refused as EventBridge refuses it', async () => {
  const refused = await rejection(
    aws.eventBridge().send(new PutEventsCommand({ Entries: [{ Source: 'test.app', DetailType: 'x'.repeat(129), Detail: '{}' }] })),
  );
  expect(refused.name).toBe('ValidationException');
  expect(refused.$metadata?.httpStatusCode).toBe(400);
  expect(refused.message).toMatch(/entries\.1\.member\.detailType.*less than or equal to 128/);
  const fine = await aws.eventBridge().send(new PutEventsCommand({ Entries: [{ Source: 'test.app', DetailType: 'x'.repeat(128), Detail: '{}' }] }));
  expect(fine.FailedEntryCount).toBe(0);
});

test('a stored rule that is now too complex matches nothing, and PutEvents on its bus keeps working', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aios-hostile-rules-'));
  const store = new EventBridgeStore(dir);
  const rule = (name: string, pattern: object) =>
    store.putRule({
      bus: 'default',
      name,
      eventPattern: JSON.stringify(pattern),
      scheduleExpression: null,
      state: 'ENABLED',
      description: null,
      roleArn: null,
      createdAt: Date.now(),
    });
  // Accepted by an earlier version, before the wildcard complexity limit.
  rule('too-complex', { detail: { v: [{ wildcard: '*a'.repeat(200) }] } });
  rule('plain', { source: ['test.app'] });
  store.close();
  const service = createEventBridgeService({ dataDir: dir, targets: { startExecution: async () => ({}), invokeFunction: async () => null } });
  try {
    const out = (await service.handle('PutEvents', {
      Entries: [{ Source: 'test.app', DetailType: 'x', Detail: JSON.stringify({ v: 'a'.repeat(20_000) }) }],
    })) as { FailedEntryCount: number };
    expect(out.FailedEntryCount).toBe(0);
    const again = (await service.handle('PutEvents', { Entries: [{ Source: 'test.app', DetailType: 'y', Detail: '{}' }] })) as { FailedEntryCount: number };
    expect(again.FailedEntryCount).toBe(0);
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
