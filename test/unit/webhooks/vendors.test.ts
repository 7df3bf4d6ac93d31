import { altered, delivery, harness, sample, VENDOR_SAMPLES } from '../../support/webhook-harness';

describe.each(VENDOR_SAMPLES)('$source webhooks', ({ source, file, eventType, detailType, timestamped }) => {
  const body = sample(file);

  it('a valid delivery emits exactly one normalised event', async () => {
    const h = harness();
    const res = await h.ingest(delivery(h, source, body, { eventType }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: 1, emitted: 1, duplicates: 0 });
    expect(h.publisher.events).toHaveLength(1);
    const [event] = h.publisher.events;
    expect(event.source).toBe(`saas.${source}`);
    expect(event.detailType).toBe(detailType);
    const payload = JSON.parse(body.toString('utf8'));
    expect(event.detail).toEqual(Array.isArray(payload) ? payload[0] : payload);
    expect(h.refusals.refusals).toEqual([]);
  });

  it('a forged delivery (wrong secret) emits nothing: 401', async () => {
    const h = harness();
    const res = await h.ingest(delivery(h, source, body, { eventType, secret: 'not-the-secret' }));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('Webhook.BadSignature');
    expect(h.publisher.events).toEqual([]);
  });

  it('an altered delivery (body changed after signing) emits nothing: 401', async () => {
    const h = harness();
    const signed = delivery(h, source, body, { eventType });
    const res = await h.ingest({ ...signed, body: altered(body) });
    expect(res.status).toBe(401);
    expect(h.publisher.events).toEqual([]);
  });

  it('a delivery without its signature emits nothing: 401', async () => {
    const h = harness();
    const signed = delivery(h, source, body, { eventType });
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => !/signature|hmac/.test(k)));
    const res = await h.ingest({ ...signed, headers });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('Webhook.MissingSignature');
    expect(h.publisher.events).toEqual([]);
  });

  // GitHub and Shopify sign no timestamp: replays are caught by the delivery id (below).
  if (timestamped)
    it('an expired delivery (signed 6 minutes ago) emits nothing: 401', async () => {
      const h = harness();
      const res = await h.ingest(delivery(h, source, body, { eventType, signedAt: new Date(h.clock.now.getTime() - 6 * 60_000) }));
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('Webhook.Expired');
      expect(h.publisher.events).toEqual([]);
    });

  if (timestamped)
    it('a delivery signed 4 minutes ago is still accepted', async () => {
      const h = harness();
      const res = await h.ingest(delivery(h, source, body, { eventType, signedAt: new Date(h.clock.now.getTime() - 4 * 60_000) }));
      expect(res.status).toBe(200);
      expect(h.publisher.events).toHaveLength(1);
    });

  it('a replayed delivery is acknowledged but not emitted again', async () => {
    const h = harness();
    const first = delivery(h, source, body, { eventType, deliveryId: 'delivery-1' });
    expect((await h.ingest(first)).status).toBe(200);
    // The vendor's retry: same event, freshly signed a minute later.
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const retry = delivery(h, source, body, { eventType, deliveryId: 'delivery-1' });
    const res = await h.ingest(retry);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: 1, emitted: 0, duplicates: 1 });
    // And the identical captured request, replayed within the window.
    expect((await h.ingest(first)).status).toBe(200);
    expect(h.publisher.events).toHaveLength(1);
  });
});

describe('vendor specifics', () => {
  it('Stripe: any of several v1 signatures may match (secret rotation)', async () => {
    const h = harness();
    const body = sample('stripe.charge.dispute.created.json');
    const signed = delivery(h, 'stripe', body);
    const header = signed.headers['stripe-signature'] ?? '';
    const t = /t=(\d+)/.exec(header)![1];
    const v1 = /v1=([0-9a-f]+)/.exec(header)![1];
    const rotated = `t=${t},v1=${'0'.repeat(64)},v1=${v1}`;
    const res = await h.ingest({ ...signed, headers: { ...signed.headers, 'stripe-signature': rotated } });
    expect(res.status).toBe(200);
    const wrongOnly = `t=${t},v1=${'0'.repeat(64)},v0=${v1}`;
    expect((await h.ingest({ ...signed, headers: { ...signed.headers, 'stripe-signature': wrongOnly } })).status).toBe(401);
  });

  it('Stripe: a valid v1 for a different timestamp is refused (the timestamp is signed)', async () => {
    const h = harness();
    const body = sample('stripe.charge.dispute.created.json');
    const signed = delivery(h, 'stripe', body);
    const moved = (signed.headers['stripe-signature'] ?? '').replace(/t=(\d+)/, (_, t: string) => `t=${Number(t) + 1}`);
    expect((await h.ingest({ ...signed, headers: { ...signed.headers, 'stripe-signature': moved } })).status).toBe(401);
  });

  it('any of several stored secrets (one per line) verifies, for rotation on our side', async () => {
    const h = harness();
    h.secrets.values['webhook-github'] = 'new-secret\nold-secret\n';
    const body = sample('github.issues.json');
    expect((await h.ingest(delivery(h, 'github', body, { eventType: 'issues', secret: 'old-secret' }))).status).toBe(200);
    expect((await h.ingest(delivery(h, 'github', body, { eventType: 'issues', secret: 'new-secret' }))).status).toBe(200);
    expect((await h.ingest(delivery(h, 'github', body, { eventType: 'issues', secret: 'other' }))).status).toBe(401);
  });

  it('Slack: the url_verification challenge is answered, after verification, and nothing is emitted', async () => {
    const h = harness();
    const body = sample('slack.url_verification.json');
    const res = await h.ingest(delivery(h, 'slack', body));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect(h.publisher.events).toEqual([]);
    expect((await h.ingest(delivery(h, 'slack', body, { secret: 'forged' }))).status).toBe(401);
  });

  it('HubSpot: signs method + URI (with the listed characters decoded) + body + timestamp', async () => {
    const h = harness();
    const body = sample('hubspot.contact.creation.json');
    // The sender signs the decoded form; we receive the encoded one.
    const decodedUrl = 'https://hooks.kestrel.example/webhooks/hubspot?from=crm:contacts&tag=(new)';
    const signed = delivery(h, 'hubspot', body, { url: decodedUrl });
    const encodedUrl = 'https://hooks.kestrel.example/webhooks/hubspot?from=crm%3Acontacts&tag=%28new%29';
    expect((await h.ingest({ ...signed, url: encodedUrl })).status).toBe(200);
    // A different path is a different signature.
    expect((await h.ingest({ ...signed, url: 'https://hooks.kestrel.example/webhooks/other' })).status).toBe(401);
    // The method is signed upper-case, whatever case the request line used.
    expect((await h.ingest({ ...signed, method: 'post', url: encodedUrl, headers: { ...signed.headers } })).status).toBe(200);
  });

  it('HubSpot: a batch becomes one event per item, each deduplicated on its own id', async () => {
    const h = harness();
    const [item] = JSON.parse(sample('hubspot.contact.creation.json').toString('utf8'));
    const second = { ...item, eventId: item.eventId + 1, objectId: 90413 };
    const first = await h.ingest(delivery(h, 'hubspot', Buffer.from(JSON.stringify([item]))));
    expect(JSON.parse(first.body)).toEqual({ received: 1, emitted: 1, duplicates: 0 });
    const batch = await h.ingest(delivery(h, 'hubspot', Buffer.from(JSON.stringify([item, second]))));
    expect(JSON.parse(batch.body)).toEqual({ received: 2, emitted: 1, duplicates: 1 });
    expect(h.publisher.events.map((e) => e.detail.objectId)).toEqual([90412, 90413]);
    expect(h.publisher.events[0].time.toISOString()).toBe(new Date(item.occurredAt).toISOString());
  });

  it('HubSpot: a contact.creation without objectId does not match its schema: 422, nothing emitted', async () => {
    const h = harness();
    const [item] = JSON.parse(sample('hubspot.contact.creation.json').toString('utf8'));
    delete item.objectId;
    const res = await h.ingest(delivery(h, 'hubspot', Buffer.from(JSON.stringify([item]))));
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body).error.message).toContain('objectId');
    expect(h.publisher.events).toEqual([]);
  });

  it('Zendesk: ticket.created is typed; a malformed one is refused with 422', async () => {
    const h = harness();
    const payload = JSON.parse(sample('zendesk.ticket-created.json').toString('utf8'));
    payload.detail.requester_id = 9876543210; // a number, where Zendesk sends a string
    const res = await h.ingest(delivery(h, 'zendesk', Buffer.from(JSON.stringify(payload))));
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body).error.message).toContain('detail.requester_id');
    expect(h.publisher.events).toEqual([]);
  });

  it('Zendesk and Stripe: unknown event types pass through untyped with the vendor type as detail-type', async () => {
    const h = harness();
    const zendesk = {
      ...JSON.parse(sample('zendesk.ticket-created.json').toString('utf8')),
      id: 'other-1',
      type: 'zen:event-type:user.active_changed',
      detail: { id: '1' },
    };
    const stripe = {
      ...JSON.parse(sample('stripe.charge.dispute.created.json').toString('utf8')),
      id: 'evt_other',
      type: 'invoice.paid',
      data: { object: { id: 'in_1' } },
    };
    expect((await h.ingest(delivery(h, 'zendesk', Buffer.from(JSON.stringify(zendesk))))).status).toBe(200);
    expect((await h.ingest(delivery(h, 'stripe', Buffer.from(JSON.stringify(stripe))))).status).toBe(200);
    expect(h.publisher.events.map((e) => [e.source, e.detailType])).toEqual([
      ['saas.zendesk', 'zen:event-type:user.active_changed'],
      ['saas.stripe', 'invoice.paid'],
    ]);
  });

  it('Stripe: event time and delivery id come from the event', async () => {
    const h = harness();
    await h.ingest(delivery(h, 'stripe', sample('stripe.charge.dispute.created.json')));
    expect(h.publisher.events[0].time.toISOString()).toBe('2026-01-09T12:00:00.000Z');
    expect(await h.table.get({ pk: 'webhook#stripe#evt_1QkZ8mKestrel0Dispute01', sk: 'delivery' })).toBeDefined();
  });

  it('GitHub and Shopify: the event type comes from the header, and is required', async () => {
    const h = harness();
    const signed = delivery(h, 'github', sample('github.issues.json'), { eventType: 'issues' });
    const { ['x-github-event']: _, ...headers } = signed.headers;
    expect((await h.ingest({ ...signed, headers })).status).toBe(422);
    const shop = delivery(h, 'shopify', sample('shopify.orders.create.json'), { eventType: 'orders/create' });
    expect((await h.ingest(shop)).status).toBe(200);
    expect(h.publisher.events[0].resources).toEqual([
      'https://kestrel-coffee.myshopify.com',
      expect.stringMatching(/^aios:webhook-delivery:shopify:sha256:[0-9a-f]{64}$/),
    ]);
  });
});
