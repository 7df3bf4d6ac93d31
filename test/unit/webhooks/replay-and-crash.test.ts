/**
 * Regression tests from the red-team pass (issue 18): a delivery whose first
 * attempt died between claiming its id and publishing is published by the
 * vendor's retry; replays are recognised by what the signature covers, not
 * by unsigned headers; GitHub's event header must agree with the body; a
 * non-canonical base64 signature is refused; a deeply nested signed body is
 * a 4xx (a 5xx would be retried by the vendor forever).
 */
import { delivery, harness, sample } from '../../support/webhook-harness';
import type { BusEvent, EventPublisher } from '../../../shared/webhooks';

/** A publisher whose first call never returns: the process died while publishing. */
function dyingOnce(): EventPublisher & { events: BusEvent[] } {
  let calls = 0;
  const events: BusEvent[] = [];
  return {
    events,
    async publish(batch) {
      if (++calls === 1) return new Promise<string[]>(() => undefined);
      events.push(...batch);
      return batch.map((_, i) => `ev-${i}`);
    },
  };
}

describe('webhook dedupe across a crash', () => {
  it('a delivery claimed by an attempt that died before publishing is published by the retry', async () => {
    const publisher = dyingOnce();
    const h = harness({ publisher });
    const signed = delivery(h, 'github', sample('github.issues.json'), { eventType: 'issues' });
    void h.ingest(signed); // dies after claiming, before the bus accepted anything
    await new Promise((r) => setImmediate(r));
    h.clock.now = new Date(h.clock.now.getTime() + 120_000);
    const retry = await h.ingest(signed);
    expect(retry.status).toBe(200);
    expect(JSON.parse(retry.body)).toMatchObject({ emitted: 1, duplicates: 0 });
    expect(publisher.events).toHaveLength(1);
    // Once published, the next retry is a duplicate.
    const again = await h.ingest(signed);
    expect(JSON.parse(again.body)).toMatchObject({ emitted: 0, duplicates: 1 });
    expect(publisher.events).toHaveLength(1);
  });

  it('while the first attempt may still be publishing, a retry is told to come back (not "duplicate")', async () => {
    const publisher = dyingOnce();
    const h = harness({ publisher });
    const signed = delivery(h, 'stripe', sample('stripe.charge.dispute.created.json'));
    void h.ingest(signed);
    await new Promise((r) => setImmediate(r));
    const retry = await h.ingest(signed);
    expect(retry.status).toBe(409);
    expect(JSON.parse(retry.body).error.code).toBe('Webhook.InProgress');
    expect(publisher.events).toHaveLength(0);
  });
});

describe('replays are recognised by what the signature covers', () => {
  const cases: { source: string; file: string; eventType?: string; header: string }[] = [
    { source: 'github', file: 'github.issues.json', eventType: 'issues', header: 'x-github-delivery' },
    { source: 'shopify', file: 'shopify.orders.create.json', eventType: 'orders/create', header: 'x-shopify-webhook-id' },
    { source: 'generic', file: 'generic.order.paid.json', header: 'x-webhook-id' },
  ];
  for (const c of cases) {
    it(`${c.source}: the same signed body re-sent with a new ${c.header} is a duplicate`, async () => {
      const h = harness();
      const first = delivery(h, c.source, sample(c.file), { eventType: c.eventType, deliveryId: 'captured-1' });
      expect(JSON.parse((await h.ingest(first)).body)).toMatchObject({ emitted: 1 });
      const replay = { ...first, headers: { ...first.headers, [c.header]: 'fresh-2' } };
      const res = await h.ingest(replay);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ emitted: 0, duplicates: 1 });
      expect(h.publisher.events).toHaveLength(1);
    });
  }

  it('zendesk: a trigger webhook re-sent with a new invocation id is a duplicate', async () => {
    const h = harness();
    const body = Buffer.from(JSON.stringify({ ticket_id: '4821', note: 'customer wrote again' }));
    const first = delivery(h, 'zendesk', body, { deliveryId: 'inv-1' });
    expect(JSON.parse((await h.ingest(first)).body)).toMatchObject({ emitted: 1 });
    const replay = { ...first, headers: { ...first.headers, 'x-zendesk-webhook-invocation-id': 'inv-2' } };
    expect(JSON.parse((await h.ingest(replay)).body)).toMatchObject({ emitted: 0, duplicates: 1 });
  });

  it('github: a swapped X-GitHub-Event that does not fit the body is refused', async () => {
    const h = harness();
    const signed = delivery(h, 'github', sample('github.issues.json'), { eventType: 'issues' });
    for (const swapped of ['push', 'pull_request', 'ping', 'workflow_run']) {
      const res = await h.ingest({ ...signed, headers: { ...signed.headers, 'x-github-event': swapped, 'x-github-delivery': `d-${swapped}` } });
      expect([swapped, res.status]).toEqual([swapped, 422]);
    }
    expect(h.publisher.events).toHaveLength(0);
    expect((await h.ingest(signed)).status).toBe(200);
  });

  it('github: event types are checked against the body they come with', async () => {
    const h = harness();
    const ok: [string, unknown][] = [
      ['ping', { zen: 'Keep it logically awesome.', hook_id: 1 }],
      ['push', { ref: 'refs/heads/main', before: 'a', after: 'b', commits: [] }],
      ['pull_request', { action: 'opened', number: 1, pull_request: {} }],
      ['issue_comment', { action: 'created', issue: {}, comment: {} }],
      ['workflow_run', { action: 'completed', workflow_run: {} }],
    ];
    for (const [event, payload] of ok) {
      const res = await h.ingest(delivery(h, 'github', Buffer.from(JSON.stringify(payload)), { eventType: event }));
      expect([event, res.status]).toEqual([event, 200]);
    }
  });
});

describe('signature encodings and hostile shapes', () => {
  /** The same digest written with different (ignored) padding bits: decodes to the same bytes, is not the canonical text. */
  function nonCanonical(b64: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const i = b64.indexOf('=') - 1;
    const last = alphabet.indexOf(b64[i]);
    const variant = b64.slice(0, i) + alphabet[last ^ 1] + b64.slice(i + 1);
    expect(Buffer.from(variant, 'base64').equals(Buffer.from(b64, 'base64'))).toBe(true);
    return variant;
  }

  const base64Signed: { source: string; file: string; eventType?: string; header: string }[] = [
    { source: 'shopify', file: 'shopify.orders.create.json', eventType: 'orders/create', header: 'x-shopify-hmac-sha256' },
    { source: 'zendesk', file: 'zendesk.ticket-created.json', header: 'x-zendesk-webhook-signature' },
    { source: 'hubspot', file: 'hubspot.contact.creation.json', header: 'x-hubspot-signature-v3' },
  ];
  for (const c of base64Signed) {
    // These held before (the vendors' digests are compared as text); kept as guards next to the approval-link case.
    it(`${c.source}: a non-canonical base64 signature is refused`, async () => {
      const h = harness();
      const signed = delivery(h, c.source, sample(c.file), { eventType: c.eventType });
      for (const variant of [nonCanonical(signed.headers[c.header]!), signed.headers[c.header]!.replace(/=+$/, '')]) {
        const res = await h.ingest({ ...signed, headers: { ...signed.headers, [c.header]: variant } });
        expect([variant, res.status]).toEqual([variant, 401]);
      }
      expect(h.publisher.events).toHaveLength(0);
    });
  }

  it('a deeply nested signed body is refused with a 4xx, never a 5xx', async () => {
    const h = harness();
    const depth = 5000;
    const body = Buffer.from(`{"zen":${'['.repeat(depth)}1${']'.repeat(depth)}}`);
    const res = await h.ingest(delivery(h, 'github', body, { eventType: 'ping' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.parse(res.body).error.code).toBe('Webhook.NestedTooDeep');
    expect(h.publisher.events).toHaveLength(0);
  });
});
