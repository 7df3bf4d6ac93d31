import { MemoryPayloadStore } from '../../../shared/webhooks/payload-store';
import { delivery, harness, sample } from '../../support/webhook-harness';
import { createWebhookIngest, MAX_WEBHOOK_BODY_BYTES, TableDeliveryLedger, type BusEvent } from '../../../shared/webhooks';

const body = sample('github.issues.json');

describe('webhook ingest: refusals', () => {
  it('unknown source → 404', async () => {
    const h = harness();
    const res = await h.ingest({ ...delivery(h, 'github', body, { eventType: 'issues' }), source: 'gitlab' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('Webhook.UnknownSource');
  });

  it('a name from Object.prototype is not a source', async () => {
    const h = harness();
    expect((await h.ingest({ ...delivery(h, 'github', body, { eventType: 'issues' }), source: 'constructor' })).status).toBe(404);
  });

  it('body over 256 KB → 413 (exactly 256 KB is accepted, through the payload store: it is too big to travel in an event)', async () => {
    const h = harness({ payloads: new MemoryPayloadStore(), maxBodyBytes: MAX_WEBHOOK_BODY_BYTES });
    const pad = (n: number) => {
      const base = JSON.stringify({ hook_id: 1, zen: '' });
      return Buffer.from(JSON.stringify({ hook_id: 1, zen: 'x'.repeat(n - base.length) }));
    };
    const atLimit = pad(MAX_WEBHOOK_BODY_BYTES);
    expect(atLimit.length).toBe(MAX_WEBHOOK_BODY_BYTES);
    expect((await h.ingest(delivery(h, 'github', atLimit, { eventType: 'ping' }))).status).toBe(200);
    const res = await h.ingest(delivery(h, 'github', pad(MAX_WEBHOOK_BODY_BYTES + 1), { eventType: 'ping' }));
    expect(res.status).toBe(413);
    expect(h.publisher.events).toHaveLength(1);
  });

  it('wrong content type → 415; JSON media types with parameters are fine', async () => {
    const h = harness();
    const signed = delivery(h, 'github', body, { eventType: 'issues' });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', '', 'application/jsonp']) {
      const res = await h.ingest({ ...signed, headers: { ...signed.headers, 'content-type': type } });
      expect([type, res.status]).toEqual([type, 415]);
    }
    const ok = await h.ingest({ ...signed, headers: { ...signed.headers, 'content-type': 'Application/JSON; charset=UTF-8' } });
    expect(ok.status).toBe(200);
    expect(h.publisher.events).toHaveLength(1);
  });

  it('unparsable JSON or invalid UTF-8 → 400', async () => {
    const h = harness();
    for (const bad of [Buffer.from('{"action": "opened"'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), Buffer.alloc(0)]) {
      const res = await h.ingest(delivery(h, 'github', bad, { eventType: 'issues' }));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('Webhook.InvalidJson');
    }
    expect(h.publisher.events).toEqual([]);
  });

  it('a method other than POST → 405', async () => {
    const h = harness();
    expect((await h.ingest({ ...delivery(h, 'github', body, { eventType: 'issues' }), method: 'GET' })).status).toBe(405);
  });

  it('a secret that cannot be read → 500 (the vendor retries), nothing emitted', async () => {
    const h = harness();
    delete h.secrets.values['webhook-github'];
    const res = await h.ingest(delivery(h, 'github', body, { eventType: 'issues', secret: 'x' }));
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error.code).toBe('Webhook.SecretUnavailable');
    expect(h.publisher.events).toEqual([]);
  });

  it('records each refusal with reason, source, time, size and digest; never the secret or the body', async () => {
    const h = harness();
    await h.ingest(delivery(h, 'github', body, { eventType: 'issues', secret: 'wrong' }));
    await h.ingest({ ...delivery(h, 'github', body, { eventType: 'issues' }), source: 'nope/../x' });
    expect(h.refusals.refusals).toHaveLength(2);
    const [forged, unknown] = h.refusals.refusals;
    expect(forged).toMatchObject({ source: 'github', status: 401, code: 'Webhook.BadSignature', at: h.clock.now, bodyBytes: body.length });
    expect(forged.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(unknown.source).toBe('nope?..?x');
    const logged = JSON.stringify(h.refusals.refusals);
    expect(logged).not.toContain('gh-hook-secret-kestrel');
    expect(logged).not.toContain('Subscription checkout');
  });

  it('a refusal log that fails does not change the response', async () => {
    const errors: unknown[] = [];
    const h = harness({ refusals: { record: async () => Promise.reject(new Error('disk full')) }, onLogError: (e) => errors.push(e) });
    expect((await h.ingest(delivery(h, 'github', body, { eventType: 'issues', secret: 'wrong' }))).status).toBe(401);
    expect(errors).toHaveLength(1);
  });
});

describe('webhook ingest: publishing', () => {
  it('when the bus refuses, answers 502 and forgets the claim so the retry is emitted', async () => {
    let fail = true;
    const published: BusEvent[] = [];
    const h = harness({
      publisher: {
        async publish(events) {
          if (fail) throw new Error('bus unavailable');
          published.push(...events);
          return events.map((_, i) => `ev-${i}`);
        },
      },
    });
    const signed = delivery(h, 'github', body, { eventType: 'issues', deliveryId: 'd-1' });
    const res = await h.ingest(signed);
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).error.code).toBe('Webhook.PublishFailed');
    fail = false;
    expect((await h.ingest(signed)).status).toBe(200);
    expect((await h.ingest(signed)).status).toBe(200);
    expect(published).toHaveLength(1);
  });

  it('without a delivery id, the body digest dedupes', async () => {
    const h = harness();
    const signed = delivery(h, 'generic', sample('generic.order.paid.json'));
    const { ['x-webhook-id']: _, ...headers } = signed.headers;
    const noHeader = { ...signed, headers };
    const payload = JSON.parse(sample('generic.order.paid.json').toString('utf8'));
    delete payload.id;
    const bodyNoId = Buffer.from(JSON.stringify(payload));
    const a = delivery(h, 'generic', bodyNoId);
    const { ['x-webhook-id']: __, ...headersA } = a.headers;
    expect((await h.ingest({ ...a, headers: headersA })).status).toBe(200);
    expect((await h.ingest({ ...a, headers: headersA })).status).toBe(200);
    expect((await h.ingest(noHeader)).status).toBe(200);
    expect(h.publisher.events).toHaveLength(2);
  });

  it('never throws: an exploding source is a recorded 500', async () => {
    const h = harness();
    const ingest = createWebhookIngest({
      sources: new Map([
        [
          'boom',
          {
            name: 'boom',
            eventSource: 'saas.boom',
            secretName: 'webhook-github',
            verify: () => ({ ok: true }),
            normalise: () => {
              throw new Error('bug');
            },
          },
        ],
      ]),
      secrets: h.secrets,
      ledger: new TableDeliveryLedger(h.table),
      publisher: h.publisher,
      refusals: h.refusals,
    });
    const res = await ingest({
      source: 'boom',
      method: 'POST',
      url: 'http://x/webhooks/boom',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{}'),
    });
    expect(res.status).toBe(500);
    expect(h.refusals.refusals[0].code).toBe('Webhook.Internal');
  });
});
