/**
 * Calls the business's own system (order platform, helpdesk, CRM) for the
 * example's custom tools. The base URL comes from the tool's config or
 * AIOS_BUSINESS_API_URL; each call carries the tool call's idempotency key so
 * that a retried Lambda does not act twice on the business's side either.
 */
import { AiosError } from '../errors';
import type { ToolContext } from '../definition/tool';

export class BusinessApiError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Tool.BusinessApiFailed', message, details);
  }
}

export async function postToBusinessSystem(ctx: ToolContext, path: string, body: unknown, timeoutMs = 10_000): Promise<unknown> {
  const base = (ctx.config.baseUrl as string | undefined) ?? ctx.env.AIOS_BUSINESS_API_URL;
  if (!base) throw new BusinessApiError('no business system configured: set AIOS_BUSINESS_API_URL or the tool config baseUrl');
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey, 'x-aios-run': ctx.runId },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // a non-JSON answer is returned as text
  }
  if (!response.ok)
    throw new BusinessApiError(`${url.pathname} answered ${response.status}`, {
      status: response.status,
      body: typeof parsed === 'string' ? parsed.slice(0, 500) : parsed,
    });
  return parsed;
}
