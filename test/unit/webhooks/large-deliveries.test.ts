/**
 * A delivery too big to travel in an event: stored whole in the payload
 * store, the event carrying a reference; without a store it is refused
 * before anything is claimed or published.
 */
import { createHash } from 'node:crypto';
import { INLINE_DETAIL_LIMIT_BYTES, MAX_STORED_WEBHOOK_BODY_BYTES, MemoryPayloadStore } from '../../../shared/webhooks/payload-store';
import { MAX_WEBHOOK_BODY_BYTES } from '../../../shared/webhooks/ingest';
import { delivery, harness } from '../../support/webhook-harness';

/** A generic order event with enough line items to pass the inline limit. */
function bigOrder(bytes: number): Buffer {
  const items = Array.from({ length: Math.ceil(bytes / 60) }, (_, i) => ({ sku: `KC-${String(i).padStart(6, '0')}`, quantity: 1, note: 'x'.repeat(20) }));
  return Buffer.from(JSON.stringify({ id: 'evt_big_1', type: 'order.paid', created_at: '2026-01-09T16:00:00Z', data: { order_id: 'WH-9', items } }));
}

test('a body over the inline limit is stored, and the event carries a reference to it', async () => {
  const payloads = new MemoryPayloadStore('aios-payloads');
  const h = harness({ payloads });
  const body = bigOrder(INLINE_DETAIL_LIMIT_BYTES + 50_000);
  expect(body.length).toBeGreaterThan(MAX_WEBHOOK_BODY_BYTES);
  const res = await h.ingest(delivery(h, 'generic', body));
  expect(res.status).toBe(200);
  const sha256 = createHash('sha256').update(body).digest('hex');
  expect(payloads.objects.get(`webhooks/generic/${sha256}.json`)).toEqual(body);
  expect(h.publisher.events).toHaveLength(1);
  expect(h.publisher.events[0].detail).toEqual({
    aiosPayload: { bucket: 'aios-payloads', key: `webhooks/generic/${sha256}.json`, bytes: body.length, sha256 },
  });
  expect(Buffer.byteLength(JSON.stringify(h.publisher.events[0]))).toBeLessThan(1024);
});

test('without a payload store, an event too big for the bus is refused and nothing is published', async () => {
  const h = harness({ maxBodyBytes: MAX_STORED_WEBHOOK_BODY_BYTES });
  const res = await h.ingest(delivery(h, 'generic', bigOrder(INLINE_DETAIL_LIMIT_BYTES + 10_000)));
  expect(res.status).toBe(413);
  expect(h.publisher.events).toHaveLength(0);
});

test('the limit a vendor can send is 5 MB with a payload store, 256 KB without', async () => {
  const h = harness({ payloads: new MemoryPayloadStore() });
  expect((await h.ingest(delivery(h, 'generic', bigOrder(MAX_STORED_WEBHOOK_BODY_BYTES + 1000)))).status).toBe(413);
  const small = harness();
  expect((await small.ingest(delivery(small, 'generic', bigOrder(MAX_WEBHOOK_BODY_BYTES + 1000)))).status).toBe(413);
});
