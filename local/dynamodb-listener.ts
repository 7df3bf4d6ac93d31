/**
 * DynamoDB on the local runtime's port: dynalite (a DynamoDB implementation
 * on LevelDB) with its data under `<dataDir>/dynamodb`, claiming requests whose
 * X-Amz-Target is a DynamoDB action.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { RawListener } from './server/local-http-server';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export async function openDynamoDbListener(
  dataDir: string,
): Promise<RawListener & { close(): Promise<void>; /** dynalite's spare loopback port, which refuses every connection. */ sparePort: number }> {
  const dir = path.join(dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Requests arrive through our own port; dynalite's server listens on a spare
  // loopback port only because its close() (which flushes LevelDB) needs a listening server.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // That spare port must not be a way around the main port's Host check and body limits: nothing
  // connects to it legitimately (requests are handed over below), so every connection is dropped.
  server.prependListener('connection', (socket: Socket) => socket.destroy());
  // Requests in dynalite's hands; closing waits for them, and refuses new ones, because a request
  // reaching LevelDB after it closed throws outside any caller ("Database is closed").
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  return {
    sparePort: (server.address() as AddressInfo).port,
    claims: (req) => String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.'),
    listener: (req, res) => {
      if (closing) {
        res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ServiceUnavailable' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'the local runtime is stopping' }));
        return;
      }
      inFlight++;
      res.once('close', () => {
        inFlight--;
        if (closing && inFlight === 0) drained?.();
      });
      server.emit('request', req, res);
    },
    close: async () => {
      closing = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, 5_000).unref();
        });
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
