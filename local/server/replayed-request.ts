/**
 * A request whose body a front of the runtime's port has already read (the
 * permission check, the DynamoDB stream), handed on to the next listener as a
 * fresh request with the same head. The body read, and the JSON object parsed
 * from it when the front parsed one, travel with it: every AWS call a handler
 * makes passes two or three such fronts, and each reading the body from the
 * stream and parsing it again was a cost on every round trip.
 */
import { IncomingMessage } from 'node:http';

/** What a front read of a request: the whole body, and the JSON object it holds when one was parsed. */
export interface ReadBody {
  body: Buffer;
  /** The body parsed as a JSON object; absent when it was not parsed, or is not one. Read-only for every listener. */
  json?: Record<string, unknown>;
}

const carried = new WeakMap<IncomingMessage, ReadBody>();

/**
 * A fresh request carrying the same head and the body already read, for the
 * listener behind the front. It can still be read as a stream (data and end
 * events, async iteration); `readBody` hands the same bytes over without that.
 */
export function replay(req: IncomingMessage, body: Buffer, json?: Record<string, unknown>): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  // The body enters the stream only when someone reads it: most listeners behind a front take it from `readBody`,
  // and filling a stream nobody reads was a cost on each round trip.
  let pushed = false;
  copy._read = () => {
    if (pushed) return;
    pushed = true;
    if (body.length > 0) copy.push(body);
    copy.push(null);
  };
  copy.complete = true;
  carried.set(copy, json ? { body, json } : { body });
  return copy;
}

/** The body a front read of this request (undefined when none did: read it from the stream). */
export function readBody(req: IncomingMessage): ReadBody | undefined {
  return carried.get(req);
}

/** Parses a body as a JSON object, or gives undefined (not JSON, or not an object). */
export function jsonObjectOf(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body the port read of a request a Hono app serves, when it did: `env` is the app's `c.env`, which the Node
 * adapter sets to `{ incoming, outgoing }`. The port reads every POST whole before routing it (the permission check,
 * or the body limit, which hands it to the adapter as `rawBody`); taking it from there spares building a Fetch
 * Request's body stream to read the same bytes. Undefined otherwise (an app served without this port: read the request).
 */
export function bodyReadByPort(env: unknown): ReadBody | undefined {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  const known = readBody(incoming);
  if (known) return known;
  const raw = (incoming as IncomingMessage & { rawBody?: unknown }).rawBody;
  return raw instanceof Buffer ? { body: raw } : undefined;
}

/**
 * The JSON of a request a Hono app serves: the object the permission check parsed, else the body the port read, else the
 * request's body read now (`request`, the app's `c.req`). An empty body is `{}`. Throws JSON.parse's error for a body
 * that is not JSON (each app answers it in its own service's words).
 */
export async function jsonOfRequest(env: unknown, request: { text(): Promise<string> }): Promise<unknown> {
  const known = bodyReadByPort(env);
  if (known?.json) return known.json;
  const text = known ? known.body.toString('utf8') : await request.text();
  return text.length ? JSON.parse(text) : {};
}
