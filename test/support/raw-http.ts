/**
 * Raw HTTP requests for edge tests: any Host header, a declared length that
 * is a lie, or a body streamed until the server answers.
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
  /** Body bytes the client had written when the answer came. */
  sent: number;
}

export interface RawRequest {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Stream zero bytes in 64 KiB chunks until the server answers or this many were sent. */
  streamUpTo?: number;
}

/** Sends one request on 127.0.0.1:port; resolves with the answer, rejects when there is none. */
export function rawRequest(r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        agent: false,
        host: '127.0.0.1',
        port: r.port,
        method: r.method ?? 'POST',
        path: r.path,
        headers: r.headers,
        setHost: !r.headers || !Object.keys(r.headers).some((h) => h.toLowerCase() === 'host'),
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body, sent }));
        res.on('error', () => resolve({ status: res.statusCode!, body, sent }));
      },
    );
    // The server may close while the client is still writing: the answer, if any, still counts.
    req.on('error', (error) => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(error)), 200);
    });
    if (r.streamUpTo === undefined) {
      req.end(r.body);
      return;
    }
    const chunk = Buffer.alloc(64 * 1024);
    // One chunk per turn of the event loop, so an early answer is seen as soon as it arrives.
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sent >= r.streamUpTo!) {
        req.end();
        return;
      }
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(pump);
      else req.once('drain', pump);
    };
    pump();
  });
}
