/**
 * The knowledge seed's custom resource answers CloudFormation through the
 * pre-signed URL: success with the sync's counts, failure with its reason,
 * and a delete that leaves the knowledge alone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleStackEvent } from '../../../functions/knowledge-sync/stack-resource';

let server: Server;
let url: string;
const received: { method: string; contentType: string | undefined; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method!, contentType: req.headers['content-type'], body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?sig=abc`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const event = (RequestType: string) => ({
  RequestType,
  ResponseURL: url,
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Aios/1',
  RequestId: 'r1',
  LogicalResourceId: 'KnowledgeSeed',
  ServiceToken: 'arn:x',
  ResourceProperties: { SeedDigest: 'abc' },
});
const report = { created: ['a', 'b'], updated: ['c'], unchanged: [], retired: ['d'] };

test('create: runs the sync and reports its counts to CloudFormation', async () => {
  let synced = 0;
  const out = await handleStackEvent(event('Create'), { sync: async () => (synced++, report), fetch });
  expect(out).toEqual({ status: 'SUCCESS' });
  expect(synced).toBe(1);
  expect(received.at(-1)).toEqual({
    method: 'PUT',
    contentType: '',
    body: expect.objectContaining({
      Status: 'SUCCESS',
      PhysicalResourceId: 'aios-knowledge-seed',
      RequestId: 'r1',
      LogicalResourceId: 'KnowledgeSeed',
      Data: { created: 2, updated: 1, unchanged: 0, retired: 1 },
    }),
  });
});

test('a failed sync fails the deploy with its reason', async () => {
  const out = await handleStackEvent(event('Update'), { sync: async () => Promise.reject(new Error('table aios-knowledge not found')), fetch });
  expect(out.status).toBe('FAILED');
  expect(received.at(-1)?.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('table aios-knowledge not found') });
});

test('delete: answers without touching the knowledge', async () => {
  const out = await handleStackEvent(event('Delete'), { sync: async () => Promise.reject(new Error('must not sync')), fetch });
  expect(out).toEqual({ status: 'SUCCESS' });
});
