/**
 * API Gateway v2 event → the ingest pipeline → API Gateway result. Plain
 * function (the middy wiring is in index.ts) so tests call it directly.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { WebhookIngest } from '../../shared/webhooks';

export interface WebhookHandlerOptions {
  /** The public base URL (e.g. a custom domain); default from Host and X-Forwarded-Proto. */
  baseUrl?: string;
}

function headerMap(event: APIGatewayProxyEventV2): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  return headers;
}

/** The URL the sender posted to, as it would sign it. */
export function publicUrl(event: APIGatewayProxyEventV2, headers: Record<string, string>, baseUrl?: string): string {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  if (baseUrl) return `${baseUrl.replace(/\/$/, '')}${event.rawPath}${query}`;
  const proto = (headers['x-forwarded-proto'] ?? 'https').split(',')[0].trim();
  const host = headers.host ?? event.requestContext.domainName;
  return `${proto}://${host}${event.rawPath}${query}`;
}

/** The `<source>` of /webhooks/<source> (path parameter, or the path's last segment). */
export function sourceOf(event: APIGatewayProxyEventV2): string {
  const fromParam = event.pathParameters?.source;
  if (fromParam) return fromParam;
  const match = /\/webhooks\/([^/]+)\/?$/.exec(event.rawPath ?? '');
  return match ? decodeURIComponent(match[1]) : '';
}

export async function handleWebhook(
  event: APIGatewayProxyEventV2,
  ingest: WebhookIngest,
  options: WebhookHandlerOptions = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = headerMap(event);
  const body = event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const response = await ingest({
    source: sourceOf(event),
    method: event.requestContext?.http?.method ?? 'POST',
    url: publicUrl(event, headers, options.baseUrl),
    headers,
    body,
    sourceIp: event.requestContext?.http?.sourceIp,
  });
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
