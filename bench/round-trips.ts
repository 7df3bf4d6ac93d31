/**
 * Counts the HTTP round trips one Stripe dispute run makes to the local
 * runtime's port, from the sample event on the bus to its approval email:
 * every request the port serves is tallied by the function that signed it,
 * the service and operation, and what it touched (the table and the kind of
 * key, or the bucket and prefix). The runtime runs in this process on a fresh
 * data dir; after warm-up events, `RUNS` events go one after another and the
 * tally is divided by them. Not a timing bench: counts do not depend on load.
 *
 *   npx tsx bench/round-trips.ts            # 10 runs after 3 warm-ups, port 4310
 *   AIOS_ROUND_TRIP_RUNS=30 AIOS_ROUND_TRIP_PORT=4311 npx tsx bench/round-trips.ts
 *   AIOS_ROUND_TRIP_RUN=support-desk npx tsx bench/round-trips.ts   # the support-desk run of event-to-approval.bench.ts
 *
 * The support-desk run (4 agent turns, no approval; started with StartExecution, 10 runs after 1 warm-up:
 * the agent's own refund right allows 12 a day) is awaited by polling DescribeExecution, which is not counted.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startAiosRuntime } from '../local/aios-runtime';
import { accessKeyIdOf } from '../local/iam/request-action';
import { replay } from '../local/server/replayed-request';
import { createAwsClients } from '../shared/aws/clients';

const RUNS = Number(process.env.AIOS_ROUND_TRIP_RUNS ?? 10);
const SUPPORT_DESK = process.env.AIOS_ROUND_TRIP_RUN === 'support-desk';
const WARM_UP = SUPPORT_DESK ? 1 : 3;
const PORT = Number(process.env.AIOS_ROUND_TRIP_PORT ?? 4310);
const root = path.join(__dirname, '..');

/** What a DynamoDB key is, by its pk/sk shape: enough to tell the audit head from a record, a tool call from an approval. */
function keyKind(pk: string, sk: string): string {
  const pkKind = pk.replace(/#.*$/, '#…');
  // An open approval's entry is keyed by the approval's random id.
  const skKind = /^\d+$/.test(sk) ? '<seq>' : pk === 'approval-open' ? '<id>' : sk.replace(/[#:].*$/, (m) => `${m[0]}…`);
  return `${pkKind} ${skKind}`;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

type Plain = Record<string, { S?: string } | undefined>;

/** `service operation target` of one request. */
function describe(req: IncomingMessage, body: Buffer): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  const fn = (accessKeyIdOf(req.headers) ?? 'unsigned').replace(/^aios-/, '');
  if (target.startsWith('DynamoDB_')) {
    const op = target.split('.')[1];
    const json = JSON.parse(body.toString() || '{}') as {
      TableName?: string;
      Key?: Plain;
      Item?: Plain;
      KeyConditionExpression?: string;
      ExpressionAttributeValues?: Plain;
      RequestItems?: Record<string, { Keys?: Plain[] } | { PutRequest?: { Item?: Plain }; DeleteRequest?: { Key?: Plain } }[]>;
    };
    if (json.RequestItems) {
      const [[table, requests]] = Object.entries(json.RequestItems);
      // A batch read's keys, or a batch write's items and keys.
      const keys = Array.isArray(requests) ? requests.map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {}) : (requests.Keys ?? []);
      const kinds = keys.map((k) => keyKind(k.pk?.S ?? '?', k.sk?.S ?? '?')).join(' + ');
      return `${fn}\tdynamodb ${op}\t${table.replace(/^aios-/, '')} ${kinds}`;
    }
    const key = json.Key ?? json.Item;
    const table = (json.TableName ?? '?').replace(/^aios-/, '');
    let what = '';
    if (key) what = keyKind(key.pk?.S ?? '?', key.sk?.S ?? '?');
    else if (json.ExpressionAttributeValues) {
      const pk = Object.values(json.ExpressionAttributeValues).find((v) => v?.S !== undefined)?.S ?? '?';
      what = `${pk.replace(/#.*$/, '#…')} (query)`;
    }
    return `${fn}\tdynamodb ${op}\t${table} ${what}`;
  }
  if (target)
    return `${fn}\t${target
      .replace(/_\d+\./, ' ')
      .replace(/^AWS/, '')
      .toLowerCase()}\t`;
  const url = req.url ?? '/';
  if (url.startsWith('/model/')) return `${fn}\tbedrock ${url.split('/').pop()}\t`;
  const [bucket, ...rest] = url.split('?')[0].split('/').slice(1);
  const segments = decodeURIComponent(rest.join('/')).split('/');
  const prefix = segments
    .slice(0, 3)
    // An archive batch's name is its sequences and digest (audit/batches/<first>-<last>-<sha256>.jsonl): one kind.
    .map((s) => (/^\d+$/.test(s) ? '<seq>' : /^\d+-\d+-[0-9a-f]+\.jsonl$/.test(s) ? '<batch>' : s.replace(/(%23|#).*$/, '#…')))
    .join('/');
  return `${fn}\t${req.method} ${url.startsWith('/console') || url.startsWith('/business') ? url.split('?')[0] : `s3 ${bucket}`}\t${prefix}`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-round-trips-'));
  const rt = await startAiosRuntime({
    port: PORT,
    dataDir,
    schedules: false,
    env: { ...process.env, AIOS_OS_MODULE: undefined, AIOS_RECORDINGS_DIR: undefined },
  });
  const counts = new Map<string, number>();
  let counting = false;
  const server = rt.server.server;
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res) => {
    readAll(req)
      .then((body) => {
        // This script's own wait for a support-desk run to end is not the run's.
        const polling = req.headers['x-amz-target'] === 'AWSStepFunctions.DescribeExecution';
        if (counting && !polling) {
          const line = describe(req, body);
          counts.set(line, (counts.get(line) ?? 0) + 1);
        }
        const copy = replay(req, body);
        for (const l of listeners) l(copy, res);
      })
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  try {
    const sample = JSON.parse(readFileSync(path.join(root, 'events/samples/bus/stripe.charge.dispute.created.json'), 'utf8')) as {
      source: string;
      'detail-type': string;
      detail: Record<string, unknown>;
    };
    const aws = createAwsClients({ endpoint: rt.url }, {});
    const outbox = path.join(dataDir, 'outbox');
    mkdirSync(outbox, { recursive: true });
    const emails = () => readdirSync(outbox).filter((n) => n.endsWith('.eml')).length;
    let n = 0;
    const supportDeskRun = async () => {
      const ticket = JSON.parse(readFileSync(path.join(root, 'events/samples/bus/zendesk.ticket-created.json'), 'utf8')) as { detail: object };
      const sfn = aws.sfn();
      const machine = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines!.find((m) => m.name === 'support-desk')!;
      const id = `rt-ticket-${++n}`;
      const input = JSON.stringify({ ...ticket, id, detail: { ...ticket.detail, id } });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input }));
      for (let i = 0; (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING'; i++) {
        if (i > 3000) throw new Error('the support-desk run did not end within 30 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 300));
    };
    const disputeRun = async () => {
      const before = emails();
      await aws.eventBridge().send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'aios',
              Source: sample.source,
              DetailType: sample['detail-type'],
              Detail: JSON.stringify({ ...sample.detail, id: `evt_rt_${++n}` }),
            },
          ],
        }),
      );
      for (let i = 0; emails() === before; i++) {
        if (i > 3000) throw new Error('no approval email within 30 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      // The archiver's stream batch trails the email by up to its window: let it land inside this run's count.
      await new Promise((r) => setTimeout(r, 300));
    };
    const oneRun = SUPPORT_DESK ? supportDeskRun : disputeRun;
    for (let i = 0; i < WARM_UP; i++) await oneRun();
    counting = true;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) await oneRun();
    const cpu = process.cpuUsage(cpu0);
    counting = false;
    const rows = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    let total = 0;
    process.stdout.write(
      SUPPORT_DESK
        ? `round trips per support-desk run (${RUNS} runs after ${WARM_UP} warm-up; StartExecution by this script included)\n`
        : `round trips per dispute run (${RUNS} runs after ${WARM_UP} warm-ups; PutEvents by this script included)\n`,
    );
    process.stdout.write('per run\tfunction\tservice operation\ttarget\n');
    for (const [line, count] of rows) {
      total += count;
      process.stdout.write(`${(count / RUNS).toFixed(2)}\t${line}\n`);
    }
    process.stdout.write(`${(total / RUNS).toFixed(2)}\tin all\n`);
    // The whole process (runtime and this script's PutEvents and outbox polling): a rough figure, loaded by the machine's other work.
    process.stdout.write(`CPU per run (this process, user + system): ${((cpu.user + cpu.system) / 1000 / RUNS).toFixed(1)} ms\n`);
  } finally {
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
