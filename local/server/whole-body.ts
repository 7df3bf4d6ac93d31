/**
 * A request's whole body, to a callback: the port's fronts read every body
 * they serve whole (most are one chunk), and a promise on each round trip
 * was work the callback does not need.
 */
import type { IncomingMessage } from 'node:http';

/** Calls `done` once: with the body when the request ends, or with the stream's error. */
export function readWholeBody(req: IncomingMessage, done: (error: Error | undefined, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let settled = false;
  const settle = (error: Error | undefined, body: Buffer) => {
    if (settled) return;
    settled = true;
    done(error, body);
  };
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => settle(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  req.once('error', (error) => settle(error, Buffer.alloc(0)));
}
