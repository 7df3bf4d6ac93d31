/**
 * The local runtime delivers at its start what its bus acknowledged and had
 * not delivered when it stopped: an event put on the `aios` bus by a process
 * that died before it reached the workflow's state machine starts its run
 * when the runtime starts again on the same data folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sendWebhook } from '../../cli/commands/webhook';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { EventBridgeService, EventBridgeStore } from '../../local/eventbridge';
import { createAwsClients } from '../../shared/aws/clients';

jest.setTimeout(120_000);

const root = path.join(__dirname, '../..');
const savedEnv = { ...process.env };
let rt: AiosRuntime | undefined;

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

async function until<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 150));
  }
}

interface BusEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
  resources: string[];
}

/** The inputs of the workflow's executions (a run goes on to wait for an approval, so none is waited for to end). */
async function executionInputs(runtime: AiosRuntime): Promise<BusEvent[]> {
  const sfn = createAwsClients({ endpoint: runtime.url }, {}).sfn();
  const list = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: runtime.installed.stateMachines['sales-follow-up'] }))).executions ?? [];
  const described = await Promise.all(list.map((e) => sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))));
  return described.map((d) => JSON.parse(d.input!) as BusEvent);
}

test('an event acknowledged by a process that died before delivering it starts its run at the next start', async () => {
  delete process.env.AIOS_OS_MODULE;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-eb-resume-'));
  rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  const file = path.join(root, 'events/samples/hubspot.contact.creation.json');
  expect((await sendWebhook('hubspot', file, { url: `${rt.url}/webhooks/hubspot`, env: rt.environment.vars })).status).toBe(200);
  const [first] = await until(async () => {
    const inputs = await executionInputs(rt!);
    return inputs.length === 1 ? inputs : undefined;
  });
  await rt.close();
  rt = undefined;

  // Another delivery of the same kind, acknowledged by a bus whose targets never answer, then the process is gone.
  const store = new EventBridgeStore(dataDir);
  const hanging = () => new Promise<never>(() => {});
  const bus = new EventBridgeService({ store, targets: { startExecution: hanging, invokeFunction: hanging } });
  const resources = first.resources.map((r) => (r.startsWith('aios:webhook-delivery:') ? `${r}-acknowledged-before-crash` : r));
  const put = (await bus.handle('PutEvents', {
    Entries: [{ EventBusName: 'aios', Source: first.source, DetailType: first['detail-type'], Detail: JSON.stringify(first.detail), Resources: resources }],
  })) as { FailedEntryCount: number };
  expect(put.FailedEntryCount).toBe(0);
  store.close();

  rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  const inputs = await until(async () => {
    const all = await executionInputs(rt!);
    return all.length === 2 ? all : undefined;
  });
  expect(inputs.filter((e) => e.resources.some((r) => r.endsWith('-acknowledged-before-crash')))).toHaveLength(1);
});
