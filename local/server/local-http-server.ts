/**
 * The local runtime's single HTTP endpoint. One port serves:
 * - AWS JSON-protocol services, chosen by the X-Amz-Target prefix;
 * - raw Node request listeners claimed by a predicate (dynalite for DynamoDB);
 * - REST routes (SES v2, Bedrock Runtime, webhooks, approvals, console) via a Hono app.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { AwsServiceError, type AwsJsonService } from './aws-json-service';
import { bodyLimitFor, declaresMoreThan, readBodyWithin, refuseTooLarge } from './body-limit';
import { allowedHosts, hostAllowed, refuseHost } from './host-check';
import { readBody } from './replayed-request';
import { refuseUnsigned, unsignedAwsRestCall } from './signed-routes';

export interface RawListener {
  /** Claims the request (e.g. X-Amz-Target starts with `DynamoDB_20120810`). */
  claims(req: IncomingMessage): boolean;
  listener: RequestListener;
}

export interface LocalHttpServerOptions {
  services: AwsJsonService[];
  raw?: RawListener[];
  rest?: Hono;
  /** Largest accepted request body in bytes, every route; default per route (see BODY_LIMITS). */
  maxBodyBytes?: number;
  /** Public URLs this server is also reached by (their Host is served besides the loopback names). */
  publicUrls?: ReadonlyArray<string | undefined>;
  /** Wraps the whole listener (the permission check of local/iam runs in front of every service). */
  wrap?: (listener: RequestListener) => RequestListener;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, jsonVersion: string, body: unknown, errorType?: string): void {
  const payload = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': `application/x-amz-json-${jsonVersion}`,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': cryptoRandomId(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(payload);
}

function cryptoRandomId(): string {
  return globalThis.crypto.randomUUID();
}

async function serveAwsJson(service: AwsJsonService, action: string, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  // A front (the permission check) may have read and parsed the body already: taken from it, within the same limit.
  const known = readBody(req);
  const body = known ? (known.body.length > maxBodyBytes ? null : known.body) : await readBodyWithin(req, maxBodyBytes);
  if (body === null) {
    const error = { __type: 'RequestEntityTooLargeException', message: `request body exceeds ${maxBodyBytes} bytes` };
    refuseTooLarge(req, res, maxBodyBytes, {
      contentType: `application/x-amz-json-${service.jsonVersion}`,
      text: JSON.stringify(error),
      headers: { 'x-amzn-errortype': error.__type },
    });
    return;
  }
  let input: Record<string, unknown>;
  if (known?.json) input = known.json;
  else
    try {
      const text = body.toString('utf8');
      const parsed: unknown = text.length ? JSON.parse(text) : {};
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('body is not a JSON object');
      input = parsed as Record<string, unknown>;
    } catch (error) {
      sendJson(res, 400, service.jsonVersion, { __type: 'SerializationException', message: (error as Error).message }, 'SerializationException');
      return;
    }
  try {
    const out = await service.handle(action, input);
    sendJson(res, 200, service.jsonVersion, out ?? {});
  } catch (error) {
    if (error instanceof AwsServiceError) {
      sendJson(res, error.status, service.jsonVersion, { __type: error.type, message: error.message }, error.type);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    sendJson(res, 500, service.jsonVersion, { __type: 'InternalFailure', message }, 'InternalFailure');
  }
}

/** Builds the request listener; exported for tests that embed it. */
export function createLocalRequestListener(options: LocalHttpServerOptions & { hosts?: () => ReadonlySet<string> }): RequestListener {
  const byPrefix = new Map(options.services.map((s) => [s.targetPrefix, s]));
  // Every POST reaches the app read whole (below, or by the permission check in front): nothing is left for the adapter
  // to drain after the answer, which it would otherwise arm timers and stream listeners for on every request.
  const rest = options.rest ? getRequestListener(options.rest.fetch, { autoCleanupIncoming: false }) : undefined;
  return (req, res) => {
    if (options.hosts && !hostAllowed(req.headers.host, options.hosts())) return refuseHost(res, req.headers.host);
    const maxBodyBytes = options.maxBodyBytes ?? bodyLimitFor(req);
    if (declaresMoreThan(req, maxBodyBytes)) return refuseTooLarge(req, res, maxBodyBytes);
    if (unsignedAwsRestCall(req)) return refuseUnsigned(res);
    const raw = options.raw?.find((r) => r.claims(req));
    // dynalite reads its own bodies and refuses past 16 MB as it reads.
    if (raw) return raw.listener(req, res);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && req.method === 'POST') {
      const dot = target.lastIndexOf('.');
      const service = byPrefix.get(target.slice(0, dot));
      if (service) {
        serveAwsJson(service, target.slice(dot + 1), req, res, maxBodyBytes).catch((error: unknown) => {
          if (!res.headersSent) sendJson(res, 500, service.jsonVersion, { __type: 'InternalFailure', message: String(error) }, 'InternalFailure');
        });
        return;
      }
      sendJson(res, 400, '1.1', { __type: 'UnknownOperationException', message: `no local service for ${target}` }, 'UnknownOperationException');
      return;
    }
    if (rest) {
      if (req.method === 'GET' || req.method === 'HEAD') return rest(req, res);
      // Read here, within the limit, and handed over whole (Hono's node adapter takes a `rawBody` Buffer as the body).
      const known = readBody(req);
      (known ? Promise.resolve(known.body.length > maxBodyBytes ? null : known.body) : readBodyWithin(req, maxBodyBytes)).then(
        (body) => {
          if (body === null) return refuseTooLarge(req, res, maxBodyBytes);
          (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
          return rest(req, res);
        },
        () => req.destroy(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
}

/** Starts the server on `host:port` (port 0 picks a free one). */
export async function startLocalHttpServer(options: LocalHttpServerOptions & { port?: number; host?: string }): Promise<RunningServer> {
  // Known once listening (port 0 picks one); no request arrives before that.
  let hosts: ReadonlySet<string> = new Set();
  const listener = createLocalRequestListener({ ...options, hosts: () => hosts });
  const server = createServer(options.wrap ? options.wrap(listener) : listener);
  // Long-polling SDK calls and keep-alive sockets must not keep the process alive on close.
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts({ port, boundHost: host, publicUrls: options.publicUrls });
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
