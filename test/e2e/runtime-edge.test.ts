/**
 * Issue 18, defects 6 and 7, on the whole local runtime: every route refuses
 * a body over its limit while reading it (never buffering more), and only
 * requests addressed to the runtime's own loopback names or its configured
 * public host are served (DNS rebinding gets a 4xx).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { openDynamoDbListener } from '../../local/dynamodb-listener';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { existsSync, readdirSync } from 'node:fs';
import { BODY_LIMITS } from '../../local/server/body-limit';
import { createAwsClients } from '../../shared/aws/clients';
import { rawRequest } from '../support/raw-http';

jest.setTimeout(120_000);

const savedEnv = { ...process.env };
let rt: AiosRuntime;

beforeAll(async () => {
  // The public host the runtime is configured with (a tunnel or reverse proxy in front of it).
  process.env.AIOS_PUBLIC_URL = 'https://aios.kestrel.test';
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-edge-')), schedules: false });
});

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

const MiB = 1024 * 1024;

describe('body limits, enforced while reading', () => {
  const streamed: Array<[string, Record<string, string>, number]> = [
    ['/webhooks/github', { 'content-type': 'application/json' }, BODY_LIMITS.httpApi],
    ['/approvals/abc', { 'content-type': 'application/x-www-form-urlencoded' }, BODY_LIMITS.httpApi],
    ['/business/refunds', { 'content-type': 'application/json' }, BODY_LIMITS.httpApi],
    ['/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' }, BODY_LIMITS.awsJson],
    ['/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' }, BODY_LIMITS.awsJson],
  ];
  test.each(streamed)('POST %s streamed without a length: 413 once past the limit, the rest never read', async (route, headers, limit) => {
    const res = await rawRequest({ port: rt.port, path: route, headers: { ...headers, 'transfer-encoding': 'chunked' }, streamUpTo: limit + 64 * MiB });
    expect(res.status).toBe(413);
    // The answer comes once the limit is passed (give or take the loopback socket buffers), not after the 64 MiB more.
    expect(res.sent).toBeLessThan(limit + 32 * MiB);
  });

  const declared: Array<[string, Record<string, string>, number]> = [
    ...streamed,
    ['/v2/email/outbound-emails', { 'content-type': 'application/json' }, BODY_LIMITS.ses],
    ['/model/amazon.nova-lite-v1%3A0/converse', { 'content-type': 'application/json' }, BODY_LIMITS.bedrock],
    ['/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' }, BODY_LIMITS.dynamoDb],
    ['/console', { 'content-type': 'application/x-www-form-urlencoded' }, BODY_LIMITS.httpApi],
  ];
  test.each(declared)('POST %s declaring 200 MB is refused before its body is read', async (route, headers, limit) => {
    expect(limit).toBeLessThan(200 * MiB);
    const res = await rawRequest({ port: rt.port, path: route, headers: { ...headers, 'content-length': String(200 * MiB) }, body: '{' });
    expect(res.status).toBe(413);
  });

  test('a body within the limit still works', async () => {
    const res = await rawRequest({
      port: rt.port,
      path: '/business/refunds',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'KC-10001', amount: 1, currency: 'USD', reason: 'edge test' }),
    });
    expect(res.status).toBe(201);
  });
});

describe('Host header: only the runtime own names are served', () => {
  const sfnCall = (target: string, body: object) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${target}` },
    body: JSON.stringify(body),
  });
  const requests: Array<[string, { method: string; path: string; headers?: Record<string, string>; body?: string }]> = [
    ['the health page', { method: 'GET', path: '/health' }],
    ['execution history (task tokens)', { path: '/', ...sfnCall('ListStateMachines', {}) }],
    ['SendTaskSuccess', { path: '/', ...sfnCall('SendTaskSuccess', { taskToken: 'x'.repeat(40), output: '{}' }) }],
    [
      'the state table',
      {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Scan' },
        body: JSON.stringify({ TableName: 'aios-state' }),
      },
    ],
    ['an approval page', { method: 'GET', path: '/approvals/abc' }],
    ['the console', { method: 'GET', path: '/console' }],
  ];
  test.each(requests)('a rebinding page (Host: attacker.example) cannot reach %s', async (_what, r) => {
    const res = await rawRequest({ port: rt.port, ...r, headers: { ...r.headers, host: `attacker.example:${rt.port}` } });
    expect(res.status).toBe(421);
    expect(res.body).toMatch(/does not serve the host/);
  });

  test('the same port under another loopback-looking name is refused too', async () => {
    for (const host of [`127.0.0.2:${rt.port}`, `localhost.attacker.example:${rt.port}`, `127.0.0.1:${rt.port + 1}`, 'localhost']) {
      expect((await rawRequest({ port: rt.port, method: 'GET', path: '/health', headers: { host } })).status).toBe(421);
    }
  });

  test('127.0.0.1:port, localhost:port and the configured public host are served', async () => {
    for (const host of [`127.0.0.1:${rt.port}`, `localhost:${rt.port}`, 'aios.kestrel.test']) {
      expect([host, (await rawRequest({ port: rt.port, method: 'GET', path: '/health', headers: { host } })).status]).toEqual([host, 200]);
    }
  });

  test('AWS SDK clients pointed at localhost or 127.0.0.1 keep working', async () => {
    for (const endpoint of [`http://localhost:${rt.port}`, `http://127.0.0.1:${rt.port}`]) {
      const machines = await createAwsClients({ endpoint }, {}).sfn().send(new ListStateMachinesCommand({}));
      expect(machines.stateMachines!.map((m) => m.name)).toContain('support-desk');
    }
  });
});

describe('a web page cannot send mail or call a model through the browser', () => {
  // What a page on any site can make the browser send to 127.0.0.1 without a preflight: a POST with a
  // text/plain body, the right Host, an Origin, and no Authorization header.
  const email = {
    FromEmailAddress: 'support@kestrel.coffee',
    Destination: { ToAddresses: ['victim@example.com'] },
    Content: { Simple: { Subject: { Data: 'from a web page' }, Body: { Text: { Data: 'x' } } } },
  };
  const outbox = () => (existsSync(path.join(rt.dataDir, 'outbox')) ? readdirSync(path.join(rt.dataDir, 'outbox')).filter((f) => f.endsWith('.eml')) : []);
  const pagePost = (route: string, body: object) =>
    rawRequest({
      port: rt.port,
      method: 'POST',
      path: route,
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://attacker.example' },
      body: JSON.stringify(body),
    });

  test.each([
    ['SES v2 SendEmail', '/v2/email/outbound-emails'],
    ['SES v2 SendEmail, path spelled loosely', '//V2/%65mail/outbound-emails'],
    ['Bedrock Converse', '/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse'],
  ])('an unsigned %s is refused 403 as AWS refuses it, and nothing is sent', async (_what, route) => {
    const before = outbox();
    const res = await pagePost(route, route.includes('model') ? { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } : email);
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Missing Authentication Token/);
    expect(outbox()).toEqual(before);
  });

  test('an SDK client (signed, with any key) still sends', async () => {
    const before = outbox().length;
    const sent = await createAwsClients({ endpoint: rt.url }, {}).sesV2().send(new SendEmailCommand(email));
    expect(sent.MessageId).toBeTruthy();
    expect(outbox()).toHaveLength(before + 1);
  });
});

test('DynamoDB has no second door: the spare port dynalite listens on drops every connection', async () => {
  const dynamo = await openDynamoDbListener(mkdtempSync(path.join(tmpdir(), 'aios-edge-dynamo-')));
  try {
    await expect(
      rawRequest({
        port: dynamo.sparePort,
        path: '/',
        headers: { host: `attacker.example:${dynamo.sparePort}`, 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      }),
    ).rejects.toThrow();
  } finally {
    await dynamo.close();
  }
});
