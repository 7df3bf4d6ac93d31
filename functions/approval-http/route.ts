/**
 * `/approvals/<id>` over an API Gateway HTTP API (payload v2) event: GET
 * shows the request (changes nothing), POST records a decision from the
 * page's form. Everything else is 405/404. Plain function over the
 * approval service, so it is tested without AWS.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApprovalDeps } from '../../shared/approvals/approval-service';
import { submitApprovalInTime, viewApprovalInTime, type AnswerTime } from '../../shared/approvals/answer-in-time';
import { escapeHtml } from '../../shared/approvals/html';
import { PAGE_HEADERS, renderBadLink, type Page } from '../../shared/approvals/render-page';
import { formFieldsOnce } from '../../shared/look/form-fields';

const MAX_BODY = 16 * 1024;

function page(statusCode: number, html: string, extra: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...PAGE_HEADERS, ...extra }, body: html };
}

function pageOf(result: Page, head = false): APIGatewayProxyStructuredResultV2 {
  return page(result.status, head ? '' : result.html, result.retryAfterSeconds === undefined ? {} : { 'retry-after': String(result.retryAfterSeconds) });
}

function plain(statusCode: number, title: string): APIGatewayProxyStructuredResultV2 {
  return page(
    statusCode,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1></body></html>`,
  );
}

/** Handles one request; with `time` (from the Lambda context) it answers before the function's deadline. */
export async function routeApprovalRequest(deps: ApprovalDeps, event: APIGatewayProxyEventV2, time?: AnswerTime): Promise<APIGatewayProxyStructuredResultV2> {
  const path = event.rawPath ?? '';
  const match = /\/approvals\/([^/]+)\/?$/.exec(path);
  if (!match) return plain(404, 'Not found');
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return plain(404, 'Not found');
  }
  const method = event.requestContext?.http?.method?.toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    const query = Object.fromEntries(new URLSearchParams(event.rawQueryString ?? ''));
    return pageOf(await viewApprovalInTime(deps, id, query, time), method === 'HEAD');
  }
  if (method === 'POST') {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (body.length > MAX_BODY) return plain(413, 'Form too large');
    const contentType = (event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '').toLowerCase();
    if (!contentType.startsWith('application/x-www-form-urlencoded')) return plain(415, 'Send the form from the approval page');
    const fields = formFieldsOnce(body);
    if (!fields) return pageOf(renderBadLink('bad-form'));
    return pageOf(await submitApprovalInTime(deps, id, fields, time));
  }
  return page(405, '<!doctype html><title>Method not allowed</title><h1>Method not allowed</h1>', { allow: 'GET, HEAD, POST' });
}
