/**
 * Serves a Lambda handler written for API Gateway HTTP APIs (payload format
 * 2.0) from the local Hono app: Request → APIGatewayProxyEventV2 (raw body
 * byte-exact: text bodies that are valid UTF-8 as a string, anything else
 * base64 with `isBase64Encoded`, as API Gateway does) → handler → Response.
 * Webhook ingest and the approval pages both use it.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Context as HonoContext } from 'hono';
import { lambdaContext } from '../functions/lambda-context';
import { bodyReadByPort } from './replayed-request';

export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface ApiGatewayRouteOptions {
  /** e.g. `POST /webhooks/{source}`; default `$default`. */
  routeKey?: string;
  functionName?: string;
  stage?: string;
  timeoutMs?: number;
  /** The region in the Lambda context (default AWS_REGION, else us-east-1). */
  region?: string;
}

const TEXT_TYPE = /^(text\/|application\/(?:[a-z0-9.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded))/i;

/** The body as API Gateway hands it to Lambda, bytes preserved. */
export function encodeBody(bytes: Buffer, contentType: string | undefined): { body?: string; isBase64Encoded: boolean } {
  if (bytes.length === 0) return { isBase64Encoded: false };
  if (contentType && TEXT_TYPE.test(contentType)) {
    const text = bytes.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(bytes)) return { body: text, isBase64Encoded: false };
  }
  return { body: bytes.toString('base64'), isBase64Encoded: true };
}

/** The raw body bytes of an API Gateway v2 event. */
export function decodeBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** Builds the event API Gateway would send for `request`. */
export async function toApiGatewayEvent(
  request: Request,
  options: {
    routeKey?: string;
    stage?: string;
    pathParameters?: Record<string, string>;
    sourceIp?: string;
    /** The body, when the port has read it already (`request`'s body is then left unread). */
    body?: Buffer;
  } = {},
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  request.headers.forEach((value, name) => {
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    // API Gateway joins repeated headers with commas; so does Headers.
    else headers[name] = value;
  });
  // API Gateway adds these; signature schemes that sign the URL (HubSpot) need the scheme.
  headers['x-forwarded-proto'] ??= url.protocol.replace(/:$/, '');
  headers['x-forwarded-port'] ??= url.port || (url.protocol === 'https:' ? '443' : '80');
  headers['x-forwarded-for'] ??= options.sourceIp ?? '127.0.0.1';
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of url.searchParams) queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
  const bytes = options.body ?? Buffer.from(await request.arrayBuffer());
  const now = new Date();
  return {
    version: '2.0',
    routeKey: options.routeKey ?? '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0],
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '127.0.0.1',
        userAgent: request.headers.get('user-agent') ?? '',
      },
      requestId: randomUUID(),
      routeKey: options.routeKey ?? '$default',
      stage: options.stage ?? '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...encodeBody(bytes, request.headers.get('content-type') ?? undefined),
  };
}

/** Turns a handler result into a fetch Response (a bare object/string result is JSON, as API Gateway infers). */
export function fromApiGatewayResult(result: APIGatewayProxyResultV2): Response {
  if (typeof result === 'string' || result === null || result === undefined || typeof result !== 'object' || !('statusCode' in result)) {
    return new Response(typeof result === 'string' ? result : JSON.stringify(result ?? null), { status: 200, headers: { 'content-type': 'application/json' } });
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(result.headers ?? {})) headers.set(k, String(v));
  for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
  const body = result.body === undefined ? null : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  const status = result.statusCode ?? 200;
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}

/**
 * A Hono route handler that runs `handler` as API Gateway would.
 *
 * @example
 * app.post('/webhooks/:source', apiGatewayRoute(webhookHandler, { routeKey: 'POST /webhooks/{source}' }));
 */
export function apiGatewayRoute(handler: HttpApiHandler, options: ApiGatewayRouteOptions = {}): (c: HonoContext) => Promise<Response> {
  return async (c) => {
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
    const read = bodyReadByPort(c.env);
    const event = await toApiGatewayEvent(c.req.raw, {
      routeKey: options.routeKey,
      stage: options.stage,
      pathParameters: c.req.param() as Record<string, string>,
      sourceIp: incoming?.socket?.remoteAddress?.replace(/^::ffff:/, ''),
      ...(read ? { body: read.body } : {}),
    });
    const context = lambdaContext({
      functionName: options.functionName ?? 'aios-http',
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      accountId: '000000000000',
      requestId: event.requestContext.requestId,
      timeoutMs: options.timeoutMs ?? 30_000,
    }) as unknown as Context;
    return fromApiGatewayResult(await handler(event, context));
  };
}
