/**
 * A deployment's webhook function carries only the vendors its triggers
 * listen for (infra/webhook-entry.ts). Through the real Lambda handler, on
 * dynalite and a recording EventBridge endpoint: a vendor left out is refused
 * as not deployed, a carried one is verified, normalised and published, and
 * forged, oversized or malformed deliveries are refused in English.
 */
import { bundledInputs } from '../../support/bundled-inputs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createGenericHmacSource, DEFAULT_GENERIC_CONFIG, genericConfigsFromEnv } from '../../../events/generic';
import { hubspotSource } from '../../../events/hubspot';
import { stripeSource } from '../../../events/stripe';
import { zendeskSource } from '../../../events/zendesk';
import { deployedSourceMap, type DeployedSources } from '../../../functions/webhook-ingest/deployed-sources';
import { webhookHandler } from '../../../functions/webhook-ingest/webhook-function';
import { deployedWebhookVendors, webhookIngestEntry } from '../../../infra/webhook-entry';
import { parseEnvironment } from '../../../shared/composition/environment';
import { loadValidOs, type ValidOs } from '../../../shared/definition';
import exampleOs from '../../../examples/kestrel-coffee';
import { startDynalite, type DynaliteHandle } from '../../support/dynalite';
import { delivery, harness, sample, SECRETS } from '../../support/webhook-harness';

jest.setTimeout(60_000);

const root = path.join(__dirname, '../../..');
const os = loadValidOs(exampleOs);

function withTriggers(pattern: Record<string, unknown>): ValidOs {
  const [first, ...rest] = os.workflows;
  return { ...os, workflows: [{ ...first, triggers: [{ kind: 'event', pattern }] }, ...rest.map((w) => ({ ...w, triggers: [{ kind: 'manual' as const }] }))] };
}

describe('which vendors a definition carries', () => {
  test("the example's triggers listen for Zendesk, Stripe and HubSpot: the others are left out, named", () => {
    expect(deployedWebhookVendors(os)).toEqual({
      builtIn: ['stripe', 'zendesk', 'hubspot'],
      generic: false,
      notDeployed: { generic: 'saas.generic', github: 'saas.github', shopify: 'saas.shopify', slack: 'saas.slack' },
    });
  });

  test('a trigger without a source carries every vendor; a prefix carries what it matches, and the generic sources', () => {
    expect(deployedWebhookVendors(withTriggers({ 'detail-type': ['x'] }))).toMatchObject({ generic: true, notDeployed: {} });
    const prefixed = deployedWebhookVendors(withTriggers({ source: [{ prefix: 'saas.s' }] }));
    expect(prefixed.builtIn).toEqual(['stripe', 'shopify', 'slack']);
    expect(prefixed.generic).toBe(true);
  });

  test('a source no built-in vendor has is a configured generic one: the generic sources are carried', () => {
    expect(deployedWebhookVendors(withTriggers({ source: ['saas.acme'] }))).toMatchObject({ builtIn: [], generic: true });
    expect(deployedWebhookVendors(withTriggers({ source: ['aios.run'] }))).toMatchObject({ builtIn: [], generic: false });
  });

  test('a generic source configured by the environment may not take the name of a vendor left out', () => {
    const deployed: DeployedSources = {
      builtIn: [stripeSource],
      generic: { create: createGenericHmacSource, defaults: DEFAULT_GENERIC_CONFIG, fromEnv: genericConfigsFromEnv },
      notDeployed: { github: 'saas.github' },
    };
    expect([...deployedSourceMap(deployed, { AIOS_WEBHOOK_GENERIC_SOURCES: '[{"name":"acme"}]' }).keys()]).toEqual(['stripe', 'generic', 'acme']);
    expect(() => deployedSourceMap(deployed, { AIOS_WEBHOOK_GENERIC_SOURCES: '[{"name":"github"}]' })).toThrow(
      expect.objectContaining({ code: 'Webhook.InvalidConfig', message: 'generic source "github" would replace the built-in one' }),
    );
  });

  test("the entry written at synth bundles the carried vendors' code only", async () => {
    const { entry, ownEntry } = webhookIngestEntry(os, root);
    expect(ownEntry).toBe(true);
    const inputs = await bundledInputs(entry);
    expect(inputs).toEqual(expect.arrayContaining(['events/stripe/signature.ts', 'events/zendesk/index.ts', 'events/hubspot/index.ts']));
    for (const left of ['events/github/index.ts', 'events/slack/index.ts', 'events/shopify/index.ts', 'events/generic/index.ts', 'events/sources.ts']) {
      expect(inputs).not.toContain(left);
    }
  });
});

describe('the deployed handler', () => {
  let dynalite: DynaliteHandle;
  let bus: Server;
  const published: { Source: string; DetailType: string }[] = [];
  let handler: ReturnType<typeof webhookHandler>;
  const vendors = harness().vendors;

  beforeAll(async () => {
    // Each refusal is also a WARN log line (CloudWatch on AWS); the tests read the answers.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    dynalite = await startDynalite();
    const state = await dynalite.table();
    bus = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const entries = (JSON.parse(text) as { Entries: { Source: string; DetailType: string }[] }).Entries;
        published.push(...entries);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) }));
      });
    });
    await new Promise<void>((resolve) => bus.listen(0, '127.0.0.1', resolve));
    const env = parseEnvironment({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL: dynalite.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${(bus.address() as AddressInfo).port}`,
      AIOS_TABLE_STATE: state.name,
      AIOS_SECRET_WEBHOOK_STRIPE: SECRETS['webhook-stripe'],
      AIOS_SECRET_WEBHOOK_GITHUB: SECRETS['webhook-github'],
    });
    // What the entry written at synth hands the handler for the example.
    const deployed: DeployedSources = { builtIn: [stripeSource, zendeskSource, hubspotSource], notDeployed: deployedWebhookVendors(os).notDeployed };
    handler = webhookHandler(env, { sources: (vars) => deployedSourceMap(deployed, vars), notDeployed: deployed.notDeployed });
  });

  afterAll(async () => {
    await dynalite.close();
    await new Promise((resolve) => bus.close(resolve));
  });

  async function post(source: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; error?: { code: string; message: string } }> {
    const event = {
      version: '2.0',
      rawPath: `/webhooks/${source}`,
      rawQueryString: '',
      headers: { host: 'hooks.kestrel.example', ...headers },
      pathParameters: { source },
      requestContext: { http: { method: 'POST', path: `/webhooks/${source}`, sourceIp: '203.0.113.9' }, domainName: 'hooks.kestrel.example', requestId: 'r' },
      body: body.toString('utf8'),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const context = { functionName: 'aios-webhook-ingest', awsRequestId: 'r', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
    const answer = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    return { status: answer.statusCode!, ...(JSON.parse(String(answer.body)) as { error?: { code: string; message: string } }) };
  }

  function signed(source: string, body: Buffer): Record<string, string> {
    return delivery({ vendors, clock: { now: new Date() } }, source, body, { url: `https://hooks.kestrel.example/webhooks/${source}` }).headers as Record<
      string,
      string
    >;
  }

  test('a vendor left out answers 404 Webhook.SourceNotDeployed, saying which trigger would carry it', async () => {
    const body = sample('github.issues.json');
    const answer = await post('github', body, { ...signed('github', body), 'x-github-event': 'issues' });
    expect(answer.status).toBe(404);
    expect(answer.error).toEqual({
      code: 'Webhook.SourceNotDeployed',
      message: expect.stringContaining('webhook source "github" is not deployed: no workflow trigger listens for saas.github events'),
    });
    expect((await post('gitlab', body, {})).error?.code).toBe('Webhook.UnknownSource');
  });

  test('a carried vendor is verified, normalised and published', async () => {
    const body = sample('stripe.charge.dispute.created.json');
    const answer = await post('stripe', body, signed('stripe', body));
    expect(answer).toMatchObject({ status: 200 });
    expect(published).toEqual([expect.objectContaining({ Source: 'saas.stripe', DetailType: 'charge.dispute.created' })]);
  });

  test('forged, oversized and malformed deliveries are refused, in English', async () => {
    const body = sample('stripe.charge.dispute.created.json');
    const forged = await post('stripe', body, { ...signed('stripe', body), 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` });
    expect(forged).toMatchObject({ status: 401, error: { code: 'Webhook.BadSignature' } });
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(300 * 1024) }));
    expect(await post('stripe', big, signed('stripe', big))).toMatchObject({ status: 413, error: { code: 'Webhook.PayloadTooLarge' } });
    const malformed = Buffer.from(JSON.stringify({ id: 7, object: 'event', type: 'charge.dispute.created', created: 'yesterday', data: {} }));
    const refused = await post('stripe', malformed, signed('stripe', malformed));
    expect(refused).toMatchObject({ status: 422, error: { code: 'Webhook.InvalidPayload' } });
    expect(refused.error!.message).toMatch(/^not a Stripe event: .*Invalid input: expected string, received number/);
    expect(published).toHaveLength(1);
  });
});
