/**
 * Which Host headers the local runtime answers. A web page on another site
 * can make a browser send requests to 127.0.0.1 by rebinding its own DNS
 * name to it; those requests still carry that site's name in Host. Serving
 * only the runtime's own loopback names (and the public host it was
 * configured with) turns them away before any route runs.
 */
import type { ServerResponse } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The Host values to serve: each loopback name with the port (as AWS SDK
 * clients send it for `http://127.0.0.1:4566` or `http://localhost:4566`),
 * the bound address itself when it is not a wildcard, and the host of each
 * configured public URL (`AIOS_PUBLIC_URL`, `AIOS_WEBHOOK_BASE_URL`).
 * @example allowedHosts({ port: 4566 }).has('localhost:4566') // true
 */
export function allowedHosts(o: { port: number; boundHost?: string; publicUrls?: ReadonlyArray<string | undefined> }): ReadonlySet<string> {
  const names = [...LOOPBACK_NAMES];
  if (o.boundHost && o.boundHost !== '0.0.0.0' && o.boundHost !== '::') names.push(o.boundHost.includes(':') ? `[${o.boundHost}]` : o.boundHost);
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${o.port}`.toLowerCase());
    if (o.port === 80) hosts.add(name.toLowerCase());
  }
  for (const url of o.publicUrls ?? []) {
    if (!url) continue;
    try {
      hosts.add(new URL(url).host.toLowerCase());
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  return hosts;
}

/** True when the request's Host header names this runtime. */
export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  return host !== undefined && allowed.has(host.toLowerCase());
}

/** Answers a request addressed to another name (421 Misdirected Request), without reading it. */
export function refuseHost(res: ServerResponse, host: string | undefined): void {
  const text = JSON.stringify({
    message: `This AIOS runtime does not serve the host ${JSON.stringify(host ?? '')}; use 127.0.0.1, localhost or the configured public URL (AIOS_PUBLIC_URL).`,
  });
  res.writeHead(421, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
  res.end(text);
}
