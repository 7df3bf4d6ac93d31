/**
 * End to end on the local runtime's one port: the webhook route (API Gateway
 * adapter → webhook-ingest handler) and the local EventBridge, with dedupe on
 * DynamoDB (dynalite). Per vendor: a valid delivery puts exactly one event on
 * the `aios` bus (and starts the listening workflow); forged, altered, expired
 * and replayed deliveries put none, with the right status code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { Hono } from 'hono';
import { webhookSources, webhookVendors } from '../../events';
import { handleWebhook } from '../../functions/webhook-ingest/webhook-handler';
import { createEventBridgeService } from '../../local/eventbridge';
import { apiGatewayRoute } from '../../local/server/api-gateway-adapter';
import { startLocalHttpServer, type RunningServer } from '../../local/server/local-http-server';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { createSecretProvider, secretEnvSuffix } from '../../shared/secrets';
import { createWebhookIngest, EventBridgePublisher, MemoryRefusalLog, TableDeliveryLedger } from '../../shared/webhooks';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { altered, delivery, sample, SECRETS, VENDOR_SAMPLES } from '../support/webhook-harness';

const SUPPORT_DESK = 'arn:aws:states:us-east-1:000000000000:stateMachine:support-desk';
const SALES_FOLLOW_UP = 'arn:aws:states:us-east-1:000000000000:stateMachine:sales-follow-up';

let dataDir: string;
let dynalite: DynaliteHandle;
let server: RunningServer;
let clients: AwsClients;
const started: { stateMachineArn: string; input: string }[] = [];
const refusals = new MemoryRefusalLog();
const vendors = webhookVendors([]);

async function busEvents(source: string): Promise<{ Source: string; DetailType: string; Event: string }[]> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.LocalListEvents' },
    body: JSON.stringify({ EventBusName: 'aios', Source: source, Limit: 1000 }),
  });
  return ((await res.json()) as { Events: { Source: string; DetailType: string; Event: string }[] }).Events;
}

async function post(request: { source: string; headers: Record<string, string | undefined>; body: Buffer }): Promise<number> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(`${server.url}/webhooks/${request.source}`, { method: 'POST', headers, body: request.body });
  await res.text();
  return res.status;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'aios-e2e-webhooks-'));
  dynalite = await startDynalite();
  const eventBridge = createEventBridgeService({
    dataDir,
    retry: { attempts: 1, delayMs: 0 },
    targets: {
      startExecution: async (request) => {
        started.push(request);
        return { executionArn: `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${started.length}` };
      },
      invokeFunction: async () => ({}),
    },
  });
  const env = Object.fromEntries(Object.entries(SECRETS).map(([name, value]) => [`AIOS_SECRET_${secretEnvSuffix(name)}`, value]));
  let publisherClients: AwsClients | undefined;
  const ingest = createWebhookIngest({
    sources: webhookSources([]),
    secrets: createSecretProvider({ env, dataDir }),
    ledger: new TableDeliveryLedger(await dynalite.table()),
    refusals,
    publisher: new EventBridgePublisher(
      () => (publisherClients as AwsClients).eventBridge(),
      () => 'aios',
    ),
  });
  const app = new Hono();
  app.post(
    '/webhooks/:source',
    apiGatewayRoute((event) => handleWebhook(event, ingest), { routeKey: 'POST /webhooks/{source}', functionName: 'aios-webhook-ingest' }),
  );
  server = await startLocalHttpServer({ services: [eventBridge], rest: app });
  clients = publisherClients = createAwsClients({ endpoint: server.url, region: 'us-east-1' }, {});
  const eb = clients.eventBridge();
  await eb.send(new CreateEventBusCommand({ Name: 'aios' }));
  await eb.send(
    new PutRuleCommand({
      Name: 'support-desk-ticket',
      EventBusName: 'aios',
      EventPattern: JSON.stringify({ source: ['saas.zendesk'], 'detail-type': ['zen:event-type:ticket.created'] }),
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'support-desk-ticket', EventBusName: 'aios', Targets: [{ Id: 'workflow', Arn: SUPPORT_DESK }] }));
  await eb.send(
    new PutRuleCommand({
      Name: 'support-desk-dispute',
      EventBusName: 'aios',
      EventPattern: JSON.stringify({ source: ['saas.stripe'], 'detail-type': ['charge.dispute.created'] }),
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'support-desk-dispute', EventBusName: 'aios', Targets: [{ Id: 'workflow', Arn: SUPPORT_DESK }] }));
  await eb.send(
    new PutRuleCommand({
      Name: 'sales-follow-up',
      EventBusName: 'aios',
      EventPattern: JSON.stringify({ source: ['saas.hubspot'], 'detail-type': ['contact.creation'] }),
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'sales-follow-up', EventBusName: 'aios', Targets: [{ Id: 'workflow', Arn: SALES_FOLLOW_UP }] }));
});

afterAll(async () => {
  clients?.eventBridge().destroy();
  await server?.close();
  await dynalite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const LISTENERS: Record<string, string | undefined> = { zendesk: SUPPORT_DESK, stripe: SUPPORT_DESK, hubspot: SALES_FOLLOW_UP };

describe.each(VENDOR_SAMPLES)('$source → the aios bus', ({ source, file, eventType, detailType, timestamped }) => {
  const body = sample(file);
  const url = () => `${server.url}/webhooks/${source}`;
  const sign = (options: { secret?: string; signedAt?: Date } = {}) =>
    delivery({ vendors, clock: { now: new Date() } }, source, body, { eventType, url: url(), ...options });

  it('valid: exactly one event on the bus; forged, altered, expired and replayed: none', async () => {
    const startedBefore = started.length;
    const valid = sign();
    expect(await post(valid)).toBe(200);
    const events = await busEvents(`saas.${source}`);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(detailType);
    const event = JSON.parse(events[0].Event);
    expect(event).toMatchObject({ source: `saas.${source}`, 'detail-type': detailType });
    const payload = JSON.parse(body.toString('utf8'));
    expect(event.detail).toEqual(Array.isArray(payload) ? payload[0] : payload);

    const listener = LISTENERS[source];
    expect(started.slice(startedBefore).map((s) => s.stateMachineArn)).toEqual(listener ? [listener] : []);
    if (listener) expect(JSON.parse(started[started.length - 1].input)).toMatchObject({ source: `saas.${source}`, detail: event.detail });

    expect(await post(sign({ secret: 'forged-secret' }))).toBe(401);
    expect(await post({ ...sign(), body: altered(body) })).toBe(401);
    if (timestamped) expect(await post(sign({ signedAt: new Date(Date.now() - 10 * 60_000) }))).toBe(401);
    // Replayed: the captured request again, and a vendor retry of the same delivery.
    expect(await post(valid)).toBe(200);
    expect(await busEvents(`saas.${source}`)).toHaveLength(1);
    expect(started.length).toBe(startedBefore + (listener ? 1 : 0));
  });
});

describe('refusals on the local runtime', () => {
  it('413, 415, 400 and 404 emit nothing', async () => {
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(300 * 1024) }));
    expect(await post({ source: 'github', headers: { 'content-type': 'application/json' }, body: big })).toBe(413);
    expect(await post({ source: 'github', headers: { 'content-type': 'text/plain' }, body: Buffer.from('{}') })).toBe(415);
    expect(await post({ source: 'github', headers: { 'content-type': 'application/json' }, body: Buffer.from('{nope') })).toBe(400);
    expect(await post({ source: 'gitlab', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') })).toBe(404);
    expect((await busEvents('saas.gitlab')).length).toBe(0);
    expect(refusals.refusals.map((r) => r.status)).toEqual(expect.arrayContaining([413, 415, 400, 404, 401]));
  });
});
