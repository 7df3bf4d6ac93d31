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
import { BODY_LIMITS } from '../../local/server/body-limit';
import { rawRequest } from '../support/raw-http';

jest.setTimeout(120_000);

const savedEnv = { ...process.env };
let rt: AiosRuntime;

beforeAll(async () => {
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
    // The client is told to stop within a few chunks of the limit (socket buffers), not after the whole body.
    expect(res.sent).toBeLessThan(limit + 8 * MiB);
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
    const res = await rawRequest({ port: rt.port, path: '/business/refunds', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'KC-10001', amount: 1, currency: 'USD', reason: 'edge test' }) });
    expect(res.status).toBe(201);
  });
});
