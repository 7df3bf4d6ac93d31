/**
 * A webhook delivery published twice starts one run, on the local runtime as
 * on AWS. The ledger marks a delivery done only after publishing, so a crash
 * in between makes the vendor's retry publish the same event again; the bus
 * then starts a second execution (an EventBridge target cannot name it, so
 * Step Functions cannot refuse it). The compiled workflow's start claims the
 * delivery, and the second execution ends at once as a duplicate.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sendWebhook } from '../../cli/commands/webhook';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { auditLog } from '../../shared/composition/tables';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { until as poll } from '../support/until';

const until = <T>(probe: () => Promise<T | undefined>, ms = 60_000) => poll(probe, ms, 150);

jest.setTimeout(90_000);

const root = path.join(__dirname, '../..');
const savedEnv = { ...process.env };
let rt: AiosRuntime;
let aws: AwsClients;

beforeAll(async () => {
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-published-twice-')), schedules: false });
  aws = createAwsClients({ endpoint: rt.url }, {});
});

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

const executions = async () =>
  (await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: rt.installed.stateMachines['sales-follow-up'] }))).executions ?? [];

test('the same delivery published twice: two executions, one run; the other ends at once as its duplicate', async () => {
  const file = path.join(root, 'events/samples/hubspot.contact.creation.json');
  expect((await sendWebhook('hubspot', file, { url: `${rt.url}/webhooks/hubspot`, env: rt.environment.vars })).status).toBe(200);
  const [first] = await until(async () => {
    const list = await executions();
    return list.length === 1 ? list : undefined;
  });
  const event = JSON.parse((await aws.sfn().send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).input!) as {
    source: string;
    'detail-type': string;
    detail: unknown;
    resources: string[];
  };
  expect(event.resources).toContainEqual(expect.stringMatching(/^aios:webhook-delivery:hubspot:/));

  // What the vendor's retry publishes after a crash between publishing and marking the delivery done.
  const again = await aws.eventBridge().send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: 'aios', Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail), Resources: event.resources },
      ],
    }),
  );
  expect(again.FailedEntryCount).toBe(0);

  const ended = await until(async () => {
    const list = await executions();
    const done = list.filter((e) => e.status === 'SUCCEEDED');
    return list.length === 2 && done.length >= 1 ? list : undefined;
  });
  const described = await Promise.all(ended.map((e) => aws.sfn().send(new DescribeExecutionCommand({ executionArn: e.executionArn }))));
  const duplicates = described.filter((d) => d.status === 'SUCCEEDED' && JSON.parse(d.output ?? 'null')?.duplicateOf);
  expect(duplicates).toHaveLength(1);
  const [duplicate] = duplicates;
  const run = described.find((d) => d !== duplicate)!;
  expect(JSON.parse(duplicate.output!)).toEqual({ duplicateOf: run.name });

  // The duplicate did nothing but claim: one Lambda task (the start), no agent, no tool, no announcement.
  const history = (await aws.sfn().send(new GetExecutionHistoryCommand({ executionArn: duplicate.executionArn }))).events ?? [];
  const tasks = history.filter((e) => e.type === 'TaskScheduled').map((e) => JSON.parse(e.taskScheduledEventDetails!.parameters!).FunctionName as string);
  expect(tasks).toEqual(['aios-emit-event']);
  const trail = await auditLog(rt.environment).records(duplicate.name!);
  expect(trail.map((r) => [r.kind, r.data.duplicateOf])).toEqual([['run.duplicate', run.name]]);
  // The run itself goes on: its trail starts with the event and the start.
  const runTrail = await auditLog(rt.environment).records(run.name!);
  expect(runTrail.slice(0, 2).map((r) => r.kind)).toEqual(['event.received', 'run.started']);
});
