/**
 * The local S3 API names an object by the path as sent, the way the
 * permission check in front reads it: dot segments are part of the key (S3
 * keys are opaque), so a key cannot step out of the prefix it was allowed,
 * and a path whose percent-encoding is broken is refused, not a crash.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../../local/s3/object-store';
import { s3Listener } from '../../../local/s3/s3-listener';
import { startLocalHttpServer, type RunningServer } from '../../../local/server/local-http-server';

const auth = 'AWS4-HMAC-SHA256 Credential=developer/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';

function send(server: RunningServer, method: string, rawPath: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path: rawPath, headers: { authorization: auth } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local S3 API', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'aios-s3-'));
    server = await startLocalHttpServer({ services: [], raw: [s3Listener(new LocalObjectStore(dir))] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps dot segments in the key', async () => {
    expect((await send(server, 'PUT', '/aios-payloads/webhooks/../other/x', 'inside')).status).toBe(200);
    expect(await send(server, 'GET', '/aios-payloads/webhooks/../other/x')).toEqual({ status: 200, text: 'inside' });
    expect((await send(server, 'GET', '/aios-payloads/other/x')).status).toBe(404);
    const listed = await send(server, 'GET', '/aios-payloads?list-type=2&prefix=webhooks%2F');
    expect(listed.text).toContain('<Key>webhooks/../other/x</Key>');
  });

  it('refuses a key whose percent-encoding is broken, and goes on serving', async () => {
    const refused = await send(server, 'PUT', '/aios-payloads/bad%zzkey', 'x');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<Code>InvalidURI</Code>');
    expect((await send(server, 'PUT', '/aios-payloads/good%20key', 'y')).status).toBe(200);
    expect(await send(server, 'GET', '/aios-payloads/good%20key')).toEqual({ status: 200, text: 'y' });
  });
});
