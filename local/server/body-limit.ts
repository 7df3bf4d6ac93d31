/**
 * Request body limits of the local runtime's one port, enforced while the
 * body arrives: a declared Content-Length over the limit is refused before a
 * byte is read, and a body that grows past it is refused at that chunk, so no
 * route ever holds more than its limit in memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MiB = 1024 * 1024;

/**
 * Largest body per route family, each the documented AWS limit of the service
 * the route stands in for (where AWS documents one).
 */
export const BODY_LIMITS = {
  /** Step Functions: 1 MB per API request (EventBridge's PutEvents entries are far smaller). */
  awsJson: 1 * MiB,
  /** DynamoDB: BatchWriteItem carries up to 16 MB (dynalite's own limit too). */
  dynamoDb: 16 * MiB,
  /** SES v2: a 40 MB message, base64-encoded inside the JSON request. */
  ses: 56 * MiB,
  /** Bedrock Converse: images and documents travel inline; no documented request total. */
  bedrock: 20 * MiB,
  /** API Gateway HTTP APIs: 10 MB payload (webhooks, approval pages, console, business stand-in). */
  httpApi: 10 * MiB,
} as const;

/** The limit for this request, chosen by its X-Amz-Target or path. */
export function bodyLimitFor(req: IncomingMessage): number {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.startsWith('DynamoDB_20120810.') ? BODY_LIMITS.dynamoDb : BODY_LIMITS.awsJson;
  const path = (req.url ?? '/').split('?')[0];
  if (path.startsWith('/v2/email/')) return BODY_LIMITS.ses;
  if (path.startsWith('/model/')) return BODY_LIMITS.bedrock;
  return BODY_LIMITS.httpApi;
}

/** True when the request declares a Content-Length over `limit`. */
export function declaresMoreThan(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Reads the body, or resolves null as soon as it passes `limit` (the rest is
 * not read; answer with `refuseTooLarge`). Never buffers more than `limit`.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** What a refused request may still send, read and thrown away, so that closing does not reset the connection before the 413 is read. */
const LINGER_BYTES = 64 * MiB;
const LINGER_MS = 2_000;

/**
 * Answers 413, then closes the connection. The whole answer is written at
 * once, but the response is ended only when the client stops sending (or
 * after a moment, or a few more MiB, whichever comes first): Node closes a
 * connection as soon as a response ends with its request unread, and a client
 * still writing then gets a reset instead of the answer. What arrives in the
 * meantime is read and thrown away; nothing is kept.
 */
export function refuseTooLarge(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  body?: { contentType: string; text: string; headers?: Record<string, string> },
): void {
  const text = body?.text ?? JSON.stringify({ message: `Request Entity Too Large: the body exceeds ${limit} bytes` });
  res.writeHead(413, {
    'content-type': body?.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
    ...body?.headers,
  });
  res.write(text);
  let discarded = 0;
  let ended = false;
  const finish = (destroy: boolean) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    res.end();
    if (destroy) req.destroy();
  };
  const timer = setTimeout(() => finish(true), LINGER_MS).unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) finish(true);
  });
  req.once('end', () => finish(false));
  req.once('error', () => finish(true));
  req.resume();
}
