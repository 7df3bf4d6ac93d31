/**
 * Issue 8 on the whole local runtime: a signed webhook from each vendor the
 * example listens to starts its workflow; a forged one starts nothing; a
 * schedule fires on time and its run sees the scheduled time.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sendWebhook } from '../../cli/commands/webhook';
import { webhookVendors } from '../../events';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { archivedEvents } from '../support/event-archive';
import { until as poll } from '../support/until';

const until = <T>(probe: () => Promise<T | undefined>, ms = 20_000) => poll(probe, ms, 100);

jest.setTimeout(60_000);

const root = path.join(__dirname, '../..');
const savedEnv = { ...process.env };
let rt: AiosRuntime;
let aws: AwsClients;
// The scheduler's clock runs ahead so that the next minute boundary is ~1.5 s after the scheduler starts
// (set once the runtime is up, so a slow start on a busy machine does not skip the slot).
let offset = 0;

beforeAll(async () => {
  process.env.AIOS_OS_MODULE = path.join(root, 'test/fixtures/definitions/every-minute-os.ts');
  rt = await startAiosRuntime({
    port: 0,
    dataDir: mkdtempSync(path.join(tmpdir(), 'aios-triggers-')),
    schedules: false,
    schedulerClock: () => new Date(Date.now() + offset),
  });
  offset = 60_000 - (Date.now() % 60_000) - 1_500;
  rt.installed.scheduler.start();
  aws = createAwsClients({ endpoint: rt.url }, {});
});

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

async function executions(workflowId: string) {
  return (await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: rt.installed.stateMachines[workflowId] }))).executions ?? [];
}

test('a schedule fires on time in the local runtime', async () => {
  const [run] = await until(async () => {
    const list = await executions('minute-digest');
    return list.length ? list : undefined;
  });
  const d = await aws.sfn().send(new DescribeExecutionCommand({ executionArn: run.executionArn }));
  const input = JSON.parse(d.input!) as { source: string; 'detail-type': string; time: string };
  expect(input).toMatchObject({ source: 'aios.scheduler', 'detail-type': 'Scheduled Event' });
  // The slot is a minute boundary on the scheduler's clock, and the run started at (not before) it.
  expect(new Date(input.time).getTime() % 60_000).toBe(0);
  expect(d.startDate!.getTime() + offset).toBeGreaterThanOrEqual(new Date(input.time).getTime());
  expect(d.startDate!.getTime() + offset - new Date(input.time).getTime()).toBeLessThan(2_000);
});

test.each([
  ['zendesk', 'events/samples/zendesk.ticket-created.json', 'support-desk'],
  ['stripe', 'events/samples/stripe.charge.dispute.created.json', 'support-desk'],
  ['hubspot', 'events/samples/hubspot.contact.creation.json', 'sales-follow-up'],
])('a signed %s webhook (%s) starts %s; a forged one starts nothing', async (source, file, workflowId) => {
  const before = (await executions(workflowId)).length;
  const url = `${rt.url}/webhooks/${source}`;
  const body = readFileSync(path.join(root, file));
  const vendor = webhookVendors().get(source)!;
  const archivedBefore = new Set((await archivedEvents(rt.url, vendor.source.eventSource)).map((e) => e.EventId));
  const forgedHeaders = vendor.signer.sign({ body, secret: 'not-the-secret', now: new Date(), url, method: 'POST', eventType: undefined });
  const forged = await fetch(url, { method: 'POST', headers: forgedHeaders, body });
  expect([forged.status, await forged.text()]).toEqual([401, expect.anything()]);
  const ok = await sendWebhook(source, path.join(root, file), { url, env: rt.environment.vars });
  expect(ok.status).toBe(200);
  // Each request was done when it was answered (the ingest publishes before it answers, and the bus routes what it
  // accepts at once). Once the bus has finished every delivery it started, what either request started has started.
  await rt.whenEventsDelivered();
  const accepted = (await archivedEvents(rt.url, vendor.source.eventSource)).filter((e) => !archivedBefore.has(e.EventId));
  expect(accepted.map((e) => e.Deliveries.map((d) => d.Status))).toEqual([['delivered']]);
  expect((await executions(workflowId)).length).toBe(before + 1);
});
