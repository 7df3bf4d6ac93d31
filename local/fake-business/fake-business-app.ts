/**
 * A small stand-in for the business's own system (orders, helpdesk, CRM) that
 * the example's custom tools call. It answers like a real API would, honours
 * Idempotency-Key (a repeated key returns the first answer and records
 * nothing new) and records every accepted call, so demos and tests can see
 * exactly what the AI OS did in the world.
 *
 * Mounted by the local runtime at `/business`; calls are kept in
 * `<dataDir>/business-calls.jsonl` and listed at `GET /business/calls`.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';

export interface BusinessCall {
  at: string;
  method: string;
  path: string;
  idempotencyKey: string | null;
  runId: string | null;
  body: unknown;
  response: Record<string, unknown>;
}

export function readBusinessCalls(dataDir: string): BusinessCall[] {
  const file = path.join(dataDir, 'business-calls.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BusinessCall);
}

export function createFakeBusinessApp(dataDir: string): Hono {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'business-calls.jsonl');
  const byKey = new Map<string, Record<string, unknown>>(
    readBusinessCalls(dataDir)
      .filter((c) => c.idempotencyKey)
      .map((c) => [`${c.path}|${c.idempotencyKey}`, c.response]),
  );
  let counter = readBusinessCalls(dataDir).length;
  const app = new Hono();

  const record = async (c: Context, respond: (body: Record<string, unknown>, n: number) => Record<string, unknown>) => {
    const key = c.req.header('idempotency-key') ?? null;
    const route = c.req.path.replace(/^\/business/, '');
    const seen = key ? byKey.get(`${route}|${key}`) : undefined;
    if (seen) return { response: seen, replayed: true };
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return { error: 'body must be JSON' };
    }
    const response = respond(body, ++counter);
    const call: BusinessCall = {
      at: new Date().toISOString(),
      method: c.req.method,
      path: route,
      idempotencyKey: key,
      runId: c.req.header('x-aios-run') ?? null,
      body,
      response,
    };
    appendFileSync(file, `${JSON.stringify(call)}\n`);
    if (key) byKey.set(`${route}|${key}`, response);
    return { response, replayed: false };
  };

  const handle = (respond: (body: Record<string, unknown>, n: number, params: Record<string, string>) => Record<string, unknown>) => async (c: Context) => {
    const out = await record(c, (body, n) => respond(body, n, c.req.param() as Record<string, string>));
    if ('error' in out) return c.json({ error: out.error }, 400);
    return c.json(out.response, out.replayed ? 200 : 201);
  };

  app.post(
    '/business/refunds',
    handle((b, n) => ({ refundId: `re_${String(n).padStart(5, '0')}`, orderId: b.orderId, amount: b.amount, currency: b.currency, status: 'succeeded' })),
  );
  app.post(
    '/business/tickets/:ticketId/replies',
    handle((_, n, p) => ({ replyId: `rp_${String(n).padStart(5, '0')}`, ticketId: p.ticketId, status: 'sent' })),
  );
  app.post(
    '/business/crm/contacts/:contactId/notes',
    handle((_, n, p) => ({ noteId: `nt_${String(n).padStart(5, '0')}`, contactId: p.contactId })),
  );
  app.get('/business/calls', (c) => c.json({ calls: readBusinessCalls(dataDir) }));
  return app;
}
