/**
 * DynamoDB on the local runtime's port: dynalite (a DynamoDB implementation
 * on LevelDB) with its data under `<dataDir>/dynamodb`, claiming requests whose
 * X-Amz-Target is a DynamoDB action.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { RawListener } from './server/local-http-server';
import { installSynchronousReads } from './dynalite-reads';
import { installTableDescriptionCache } from './dynalite-table-cache';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/** What dynalite answered a request handed to it in process: the HTTP status and the parsed JSON body. */
export interface DynamoDbAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface DynamoDbListener extends RawListener {
  close(): Promise<void>;
  /** dynalite's spare loopback port, which refuses every connection. */
  sparePort: number;
  /**
   * Hands one DynamoDB request (`GetItem`, its JSON input) straight to dynalite, as the port would
   * but without a client, a socket or the permission check: for the runtime's own reads (the
   * table streams' item images), which are not a function's calls and need no signing.
   */
  call(action: string, input: Record<string, unknown>): Promise<DynamoDbAnswer>;
}

/**
 * The head of a signed request as dynalite checks it (it verifies the shape, never the signature);
 * the date is today's so its scope check holds.
 */
function inProcessHeaders(action: string): Record<string, string> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return {
    'x-amz-target': `DynamoDB_20120810.${action}`,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-date': stamp,
    authorization: `AWS4-HMAC-SHA256 Credential=aios-runtime/${stamp.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
  };
}

/** A request and response pair for dynalite's listener that never touches a socket. */
function inProcessExchange(action: string, input: Record<string, unknown>, done: (answer: DynamoDbAnswer) => void) {
  const req = Object.assign(new EventEmitter(), { method: 'POST', url: '/', headers: inProcessHeaders(action) });
  const closed = new EventEmitter();
  const res = {
    statusCode: 200,
    headersSent: false,
    setHeader: () => res,
    once: (event: string, listener: () => void) => closed.once(event, listener),
    end(text?: string) {
      res.headersSent = true;
      done({ status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      closed.emit('close');
    },
  };
  return { req: req as unknown as IncomingMessage, res: res as unknown as ServerResponse, body: Buffer.from(JSON.stringify(input)) };
}

export async function openDynamoDbListener(dataDir: string): Promise<DynamoDbListener> {
  const dir = path.join(dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  // dynalite would read a table's description from LevelDB before every item request (local/dynalite-table-cache.ts).
  installTableDescriptionCache();
  // and would hand each of its LevelDB reads to the thread pool (local/dynalite-reads.ts).
  installSynchronousReads();
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
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (closing && inFlight === 0) drained?.();
    });
    server.emit('request', req, res);
  };
  return {
    sparePort: (server.address() as AddressInfo).port,
    claims: (req) => String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.'),
    listener: (req, res) => {
      if (closing) {
        res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ServiceUnavailable' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'the local runtime is stopping' }));
        return;
      }
      serve(req, res);
    },
    call: (action, input) =>
      new Promise<DynamoDbAnswer>((resolve, reject) => {
        if (closing) return reject(new Error('the local runtime is stopping'));
        const { req, res, body } = inProcessExchange(action, input, resolve);
        serve(req, res);
        // dynalite listens for the body once it has the request.
        req.emit('data', body);
        req.emit('end');
      }),
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
