/**
 * One console request as the routes read it, made from an API Gateway HTTP
 * API (payload 2.0) event or from a fetch `Request`, and the route's answer
 * turned back into either. The console needs no router library: its routes are
 * a dozen paths (app.ts), and this is all the HTTP it reads.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CONSOLE_LOOK } from '../../shared/console/pages/console-look';
import type { ConsoleResponse } from '../../shared/console/response';

export interface ConsoleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Cookie header value, as sent. */
  cookie: string;
  contentType: string;
  body: string;
}

/** The value of cookie `name` (percent-decoded where it decodes), or undefined. */
export function cookieOf(request: ConsoleRequest, name: string): string | undefined {
  for (const pair of request.cookie.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const raw = pair
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** The request API Gateway describes in `event` (cookies arrive apart from the headers in payload 2.0). */
export function requestOfEvent(event: APIGatewayProxyEventV2): ConsoleRequest {
  const headers = event.headers ?? {};
  const header = (name: string) => headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
  const raw = event.body ?? '';
  return {
    method: (event.requestContext?.http?.method ?? 'GET').toUpperCase(),
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    query: new URLSearchParams(event.rawQueryString ?? ''),
    cookie: [...(event.cookies ?? []), header('cookie')].filter(Boolean).join('; '),
    contentType: header('content-type'),
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
  };
}

/** The request a fetch `Request` makes. */
export async function requestOfFetch(request: Request): Promise<ConsoleRequest> {
  const url = new URL(request.url);
  return {
    method: request.method.toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    cookie: request.headers.get('cookie') ?? '',
    contentType: request.headers.get('content-type') ?? '',
    body: await request.text(),
  };
}

/** The answer as API Gateway takes it (payload 2.0: cookies apart from the headers). */
export function eventResult(r: ConsoleResponse, method: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: r.status,
    headers: { ...CONSOLE_LOOK.headers, ...(r.location ? { location: r.location } : {}) },
    ...(r.cookies?.length ? { cookies: r.cookies } : {}),
    body: method === 'HEAD' ? '' : (r.html ?? ''),
  };
}

/** The answer as a fetch `Response`. */
export function fetchResponse(r: ConsoleResponse, method: string): Response {
  const headers = new Headers(CONSOLE_LOOK.headers);
  for (const value of r.cookies ?? []) headers.append('set-cookie', value);
  if (r.location) headers.set('location', r.location);
  return new Response(method === 'HEAD' ? null : (r.html ?? null), { status: r.status, headers });
}
