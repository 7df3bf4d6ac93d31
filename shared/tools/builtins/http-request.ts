import * as z from '../../mini-zod';
import { defineTool } from '../../definition/tool';
import { AiosError } from '../../errors';

export class HttpRequestRefusedError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Tool.HttpRefused', message, details);
  }
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Whether `host` is allowed by `allowed` entries (`api.example.com` or `*.example.com`). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith('*.') ? h.endsWith(e.slice(1)) && h.length > e.length - 1 : h === e;
  });
}

/**
 * Makes an HTTP request to a host the tool's configuration allows
 * (config.allowedHosts), with a timeout and a response size cap, so an agent
 * cannot reach arbitrary hosts or pull unbounded data into its context.
 */
export const httpRequest = defineTool({
  id: 'http.request',
  description: 'Fetch a URL (GET) or send JSON (POST) to an allowed host. Returns status, content type and the (possibly truncated) body.',
  input: z.strictObject({
    method: z._default(z.enum(['GET', 'POST']), 'GET'),
    url: z.url({ protocol: /^https?$/ }),
    body: z.optional(z.record(z.string(), z.unknown())),
  }),
  sideEffect: 'external',
  idempotent: false,
  handler: async (input, ctx) => {
    const allowed = (ctx.config.allowedHosts as string[] | undefined) ?? [];
    const url = new URL(input.url);
    if (!hostAllowed(url.hostname, allowed)) {
      throw new HttpRequestRefusedError(`host "${url.hostname}" is not in this tool's allowedHosts (${allowed.join(', ') || 'none'})`, { host: url.hostname });
    }
    const maxBytes = (ctx.config.maxResponseBytes as number | undefined) ?? DEFAULT_MAX_RESPONSE_BYTES;
    const response = await fetch(url, {
      method: input.method,
      redirect: 'manual',
      headers: input.body ? { 'content-type': 'application/json' } : {},
      body: input.body ? JSON.stringify(input.body) : undefined,
      signal: AbortSignal.timeout((ctx.config.timeoutMs as number | undefined) ?? DEFAULT_TIMEOUT_MS),
    });
    const chunks: Uint8Array[] = [];
    let size = 0;
    let truncated = false;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (size + value.length > maxBytes) {
          chunks.push(value.subarray(0, maxBytes - size));
          truncated = true;
          await reader.cancel();
          break;
        }
        chunks.push(value);
        size += value.length;
      }
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: Buffer.concat(chunks).toString('utf8'),
      truncated,
    };
  },
});
