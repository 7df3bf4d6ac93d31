/**
 * Webhook ingest and schedule evaluation.
 *
 * 1. A signed Stripe delivery through the whole ingest pipeline (in-memory
 *    ports) against its irreducible core: one HMAC over the body plus
 *    JSON.parse, measured in the same run. The ratio is the pipeline's overhead
 *    (content checks, zod typing, dedupe, event building).
 * 2. The next fire time of a weekday business-hours cron, ours (AWS syntax,
 *    time-zone aware) against cron-parser 5 on the equivalent Unix expression.
 *    Both must agree on the first 50 fire times before anything is timed.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { webhookVendors } from '../events';
import { nextFireTime, parseScheduleExpression } from '../shared/schedule';
import { MemoryTable } from '../shared/storage/memory-table';
import { createWebhookIngest, MemoryRefusalLog, RecordingPublisher, TableDeliveryLedger } from '../shared/webhooks';

const SECRET = 'whsec_bench_0123456789abcdef';

function perSecond(run: () => void | Promise<void>, ms = 1_500): Promise<number> {
  return (async () => {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      await run();
      n++;
    }
    return (n * 1000) / (performance.now() - start);
  })();
}

async function ingestBench(): Promise<string[]> {
  const vendors = webhookVendors([]);
  const stripe = vendors.get('stripe')!;
  const template = JSON.parse(readFileSync(path.join(__dirname, '..', 'events', 'samples', 'stripe.charge.dispute.created.json'), 'utf8'));
  const publisher = new RecordingPublisher();
  const ingest = createWebhookIngest({
    sources: new Map([['stripe', stripe.source]]),
    secrets: { getSecret: async () => SECRET },
    ledger: new TableDeliveryLedger(new MemoryTable()),
    publisher,
    refusals: new MemoryRefusalLog(),
  });
  let i = 0;
  const next = () => {
    const body = Buffer.from(JSON.stringify({ ...template, id: `evt_bench_${i++}` }));
    return { body, headers: stripe.signer.sign({ body, secret: SECRET, now: new Date(), url: 'http://x/webhooks/stripe' }) };
  };
  // Pre-sign so signing is not timed.
  const deliveries = Array.from({ length: 20_000 }, next);
  let k = 0;
  const pipeline = await perSecond(async () => {
    const d = deliveries[k++ % deliveries.length];
    const res = await ingest({ source: 'stripe', method: 'POST', url: 'http://x/webhooks/stripe', headers: d.headers, body: d.body });
    if (res.status !== 200) throw new Error(`bench delivery refused: ${res.body}`);
  });
  let j = 0;
  const core = await perSecond(() => {
    const d = deliveries[j++ % deliveries.length];
    const t = /t=(\d+)/.exec(d.headers['stripe-signature'])![1];
    createHmac('sha256', SECRET).update(`${t}.`).update(d.body).digest('hex');
    JSON.parse(d.body.toString('utf8'));
  });
  return [
    `| Stripe delivery, full ingest pipeline (in-memory ports) | ${Math.round(pipeline).toLocaleString('en-US')} /s |`,
    `| HMAC-SHA256 + JSON.parse of the same body (peer) | ${Math.round(core).toLocaleString('en-US')} /s |`,
    `| pipeline ÷ peer | ${(pipeline / core).toFixed(2)} |`,
  ];
}

async function cronBench(): Promise<string[]> {
  const ours = parseScheduleExpression('cron(0/15 8-17 ? * MON-FRI *)');
  const start = new Date('2030-01-01T00:00:00Z');
  // Agreement first.
  let a: Date = start;
  const theirs = CronExpressionParser.parse('*/15 8-17 * * 1-5', { currentDate: start, tz: 'UTC' });
  for (let n = 0; n < 50; n++) {
    a = nextFireTime(ours, a, 'UTC')!;
    const b = theirs.next().toDate();
    if (a.getTime() !== b.getTime()) throw new Error(`disagree at ${n}: ${a.toISOString()} vs ${b.toISOString()}`);
  }
  let t1 = start.getTime();
  const oursRate = await perSecond(() => {
    t1 = nextFireTime(ours, new Date(t1), 'UTC')!.getTime();
  });
  let t2 = start.getTime();
  const peerRate = await perSecond(() => {
    t2 = CronExpressionParser.parse('*/15 8-17 * * 1-5', { currentDate: new Date(t2), tz: 'UTC' })
      .next()
      .toDate()
      .getTime();
  });
  const zoned = await perSecond(() => {
    t1 = nextFireTime(ours, new Date(t1), 'America/New_York')!.getTime();
  });
  return [
    `| next fire time, AIOS (\`cron(0/15 8-17 ? * MON-FRI *)\`, UTC) | ${Math.round(oursRate).toLocaleString('en-US')} /s |`,
    `| next fire time, cron-parser 5 (\`*/15 8-17 * * 1-5\`, parse + next; peer) | ${Math.round(peerRate).toLocaleString('en-US')} /s |`,
    `| AIOS ÷ peer | ${(oursRate / peerRate).toFixed(2)} |`,
    `| next fire time, AIOS, America/New_York | ${Math.round(zoned).toLocaleString('en-US')} /s |`,
  ];
}

export default async function (): Promise<string> {
  const rows = [...(await ingestBench()), ...(await cronBench())];
  return [
    '## Webhooks and schedules',
    '',
    'Throughput on one core; ratios compare with a peer measured in the same run.',
    '',
    '| measured | result |',
    '|---|---|',
    ...rows,
  ].join('\n');
}
