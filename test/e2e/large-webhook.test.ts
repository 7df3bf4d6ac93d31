/**
 * A signed webhook too big for an event: the ingest function stores it in
 * the payload bucket (the local S3 API), the event carries `aiosPayload`,
 * and the agent step reads it back, so the agent given `event.detail` sees
 * the whole delivery — its last line included — without code of the business.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sendWebhook } from '../../cli/commands/webhook';
import { INLINE_DETAIL_LIMIT_BYTES } from '../../shared/webhooks/payload-store';
import { messageText } from '../../shared/agents/converse-shapes';
import { ROOT, runIdOf, startAgentsRuntime, TEST_RECORDINGS, type AgentsRuntime } from './agents-runtime';

jest.setTimeout(120_000);

let env: AgentsRuntime;

beforeAll(async () => {
  env = await startAgentsRuntime({ recordingsDir: TEST_RECORDINGS });
});

afterAll(async () => {
  await env?.close();
});

test('a Zendesk ticket past the event limit reaches the triage agent whole', async () => {
  const ticket = JSON.parse(readFileSync(path.join(ROOT, 'events/samples/zendesk.ticket-created.json'), 'utf8')) as {
    id: string;
    detail: Record<string, unknown>;
  };
  const lines = Array.from({ length: 4500 }, (_, i) => `order KC-${String(60000 + i).padStart(5, '0')}: 2 bags, delivered, no complaint`);
  lines.push('order KC-70990: never arrived END-OF-LONG-TICKET');
  ticket.id = '01JH5V9KESTRELTICKETLARGE1';
  ticket.detail = { ...ticket.detail, id: '7990', subject: 'Our wholesale orders this year', description: lines.join('\n') };
  const body = JSON.stringify(ticket);
  expect(Buffer.byteLength(body)).toBeGreaterThan(INLINE_DETAIL_LIMIT_BYTES);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'aios-large-')), 'ticket.json');
  writeFileSync(file, body);

  const posted = await sendWebhook('zendesk', file, { url: `${env.rt.url}/webhooks/zendesk`, env: env.rt.environment.vars });
  expect([posted.status, JSON.parse(posted.body)]).toEqual([200, { received: 1, emitted: 1, duplicates: 0 }]);

  const machine = env.rt.installed.stateMachines['support-desk'];
  let arn: string | undefined;
  for (let i = 0; i < 200 && !arn; i++) {
    arn = (await env.aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions?.[0]?.executionArn;
    if (!arn) await new Promise((r) => setTimeout(r, 50));
  }
  const run = await env.finished(arn!);
  expect(run.status).toBe('SUCCEEDED');
  // The run's own input carried only the reference; the agent's first message holds the whole ticket.
  expect(run.input!.length).toBeLessThan(2048);
  expect(JSON.parse(run.input!).detail.aiosPayload).toMatchObject({ bucket: 'aios-payloads', bytes: Buffer.byteLength(body) });
  const [first] = await env.conversation(runIdOf(arn!), 'triage');
  const text = messageText(first.message);
  expect(text).toContain('order KC-60000');
  expect(text).toContain('KC-70990: never arrived END-OF-LONG-TICKET');
  expect(text).not.toContain('aiosPayload');
  expect(JSON.parse(run.output!).triage).toMatchObject({ needsHuman: true, category: 'other' });
});
