/**
 * DynamoDB on the local runtime's port: dynalite (a DynamoDB implementation
 * on LevelDB) with its data under `<dataDir>/dynamodb`, claiming requests whose
 * X-Amz-Target is a DynamoDB action.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { RawListener } from './server/local-http-server';
import { installExpressionTemplates } from './dynalite-expressions';
import { installSynchronousReads } from './dynalite-reads';
import { admit, answerOver, perform } from './dynalite-requests';
import { adaptDynaliteStores, type DynaliteStoreAdapter } from './dynalite-store-hook';
import { readBody, replay } from './server/replayed-request';
import { readWholeBody } from './server/whole-body';
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
  /** As `listener`, for a request whose body the caller has read already (`body`): nothing reads it again. */
  serveBody(req: IncomingMessage, res: ServerResponse, body: Buffer): void;
}

/** The store dynalite opened last: dynalite() opens one synchronously, so it is the one of the server just made. */
let openedStore: unknown;
const rememberStore: DynaliteStoreAdapter<unknown> = (store) => {
  openedStore = store;
};

function refuse(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ServiceUnavailable' });
  res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'the local runtime is stopping' }));
}

export async function openDynamoDbListener(dataDir: string): Promise<DynamoDbListener> {
  const dir = path.join(dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  // dynalite would read a table's description from LevelDB before every item request (local/dynalite-table-cache.ts).
  installTableDescriptionCache();
  // and would hand each of its LevelDB reads to the thread pool (local/dynalite-reads.ts).
  installSynchronousReads();
  // and would parse each request's expressions from scratch (local/dynalite-expressions.ts).
  installExpressionTemplates();
  // and answers requests with dynalite's validation and actions on its store, without its HTTP handler (local/dynalite-requests.ts).
  adaptDynaliteStores(rememberStore);
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const store = openedStore;
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
  const settled = () => {
    inFlight--;
    if (closing && inFlight === 0) drained?.();
  };
  /** Answers from the body already read: in process when dynalite's handler would pass the request on, else by that handler. */
  const serveBody = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    inFlight++;
    res.once('close', settled);
    const admitted = admit(req, body);
    if (admitted) answerOver(store, admitted, res);
    else server.emit('request', readBody(req) ? req : replay(req, body), res);
  };
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const known = readBody(req);
    if (known) return serveBody(req, res, known.body);
    readWholeBody(req, (error, body) => (error ? req.destroy() : closing ? refuse(res) : serveBody(req, res, body)));
  };
  return {
    sparePort: (server.address() as AddressInfo).port,
    claims: (req) => String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.'),
    listener: (req, res) => (closing ? refuse(res) : serve(req, res)),
    serveBody: (req, res, body) => (closing ? refuse(res) : serveBody(req, res, body)),
    call: (action, input) =>
      new Promise<DynamoDbAnswer>((resolve, reject) => {
        if (closing) return reject(new Error('the local runtime is stopping'));
        inFlight++;
        try {
          // A copy in and out, as over HTTP: dynalite's validation trims what it is given, and the caller keeps the answer.
          perform(store, action, JSON.parse(JSON.stringify(input)) as Record<string, unknown>, (status, body) => {
            settled();
            resolve({ status, body: JSON.parse(JSON.stringify(body)) as Record<string, unknown> });
          });
        } catch (error) {
          settled();
          reject(error as Error);
        }
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
