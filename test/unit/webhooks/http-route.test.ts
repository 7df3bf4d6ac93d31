/**
 * The webhook Lambda handler behind the API Gateway adapter on a real HTTP
 * server (127.0.0.1), driven by `aios webhook` (sendWebhook) and by fetch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { webhookSources } from '../../../events';
import { handleWebhook } from '../../../functions/webhook-ingest/webhook-handler';
import { apiGatewayRoute, decodeBody, type HttpApiHandler } from '../../../local/server/api-gateway-adapter';
import { sendWebhook } from '../../../cli/commands/webhook';
import { createSecretProvider } from '../../../shared/secrets';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { createWebhookIngest, MemoryRefusalLog, RecordingPublisher, TableDeliveryLedger } from '../../../shared/webhooks';

let dataDir: string;
let server: ServerType;
let baseUrl: string;
let publisher: RecordingPublisher;
const seen: { body: string | undefined; isBase64Encoded: boolean; headers: Record<string, string | undefined> }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'aios-webhook-http-'));
  process.env.AIOS_DATA_DIR = dataDir;
  publisher = new RecordingPublisher();
  const ingest = createWebhookIngest({
    sources: webhookSources([]),
    secrets: createSecretProvider({ env: {}, dataDir }),
    ledger: new TableDeliveryLedger(new MemoryTable('state')),
    publisher,
    refusals: new MemoryRefusalLog(),
  });
  const handler: HttpApiHandler = async (event) => handleWebhook(event, ingest);
  const echo: HttpApiHandler = async (event) => {
    seen.push({ body: event.body, isBase64Encoded: event.isBase64Encoded, headers: event.headers });
    return {
      statusCode: 201,
      headers: { 'content-type': 'application/octet-stream', 'x-got': String(decodeBody(event).length) },
      body: decodeBody(event).toString('base64'),
      isBase64Encoded: true,
    };
  };
  const app = new Hono();
  app.post('/webhooks/:source', apiGatewayRoute(handler, { routeKey: 'POST /webhooks/{source}', functionName: 'aios-webhook-ingest' }));
  app.post('/echo', apiGatewayRoute(echo));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  delete process.env.AIOS_DATA_DIR;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('API Gateway adapter', () => {
  it('preserves the raw body byte for byte (text as a string, binary as base64) and round-trips a base64 result', async () => {
    const text = Buffer.from('{ "b":1,\n  "a" : "caf\u00e9 \u2615" }  \r\n', 'utf8');
    const res = await fetch(`${baseUrl}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(res.status).toBe(201);
    expect(Buffer.from(await res.arrayBuffer()).toString('base64')).toBe(text.toString('base64'));
    expect(seen[0]).toMatchObject({ isBase64Encoded: false, body: text.toString('utf8') });
    expect(seen[0].headers['x-forwarded-proto']).toBe('http');

    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x80]);
    await fetch(`${baseUrl}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: binary });
    expect(seen[1]).toMatchObject({ isBase64Encoded: true, body: binary.toString('base64') });
  });
});

describe('aios webhook <source> <file> against the webhook route', () => {
  it.each([
    ['stripe', 'stripe.charge.dispute.created.json', 'charge.dispute.created'],
    ['github', 'github.issues.json', 'issues'],
    ['shopify', 'shopify.orders.create.json', 'orders/create'],
    ['slack', 'slack.app_mention.json', 'app_mention'],
    ['zendesk', 'zendesk.ticket-created.json', 'zen:event-type:ticket.created'],
    ['hubspot', 'hubspot.contact.creation.json', 'contact.creation'],
    ['generic', 'generic.order.paid.json', 'order.paid'],
  ])('%s: signs with the local secret and is accepted', async (source, file, detailType) => {
    const before = publisher.events.length;
    const result = await sendWebhook(source, file, { url: `${baseUrl}/webhooks/${source}` });
    expect([result.status, result.body]).toEqual([200, JSON.stringify({ received: 1, emitted: 1, duplicates: 0 })]);
    expect(publisher.events.slice(before).map((e) => [e.source, e.detailType])).toEqual([[`saas.${source}`, detailType]]);
  });

  it('answers Slack url_verification with the challenge', async () => {
    const result = await sendWebhook('slack', 'slack.url_verification.json', { url: `${baseUrl}/webhooks/slack` });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body).challenge).toBe('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('an unsigned POST is refused with 401 and an unknown source with 404', async () => {
    const unsigned = await fetch(`${baseUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
    const unknown = await fetch(`${baseUrl}/webhooks/gitlab`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('reports an unreachable runtime as a typed error', async () => {
    await expect(sendWebhook('github', 'github.issues.json', { url: 'http://127.0.0.1:9/webhooks/github' })).rejects.toMatchObject({
      code: 'Webhook.ConnectionFailed',
    });
    await expect(sendWebhook('gitlab', 'github.issues.json')).rejects.toMatchObject({ code: 'Webhook.UnknownSource' });
  });
});
