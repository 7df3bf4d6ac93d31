/** Fuzzing the ingest path: random requests never crash it and never emit. */
import fc from 'fast-check';
import { delivery, harness, sample, VENDOR_SAMPLES } from '../support/webhook-harness';

const SOURCES = ['stripe', 'github', 'shopify', 'slack', 'zendesk', 'hubspot', 'generic'];
const HEADER_NAMES = [
  'content-type',
  'stripe-signature',
  'x-hub-signature-256',
  'x-github-event',
  'x-github-delivery',
  'x-shopify-hmac-sha256',
  'x-shopify-topic',
  'x-slack-signature',
  'x-slack-request-timestamp',
  'x-zendesk-webhook-signature',
  'x-zendesk-webhook-signature-timestamp',
  'x-hubspot-signature-v3',
  'x-hubspot-request-timestamp',
  'x-webhook-signature',
  'x-webhook-timestamp',
  'x-webhook-id',
];

const headerValue = fc.oneof(
  fc.string(),
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'sha256=', 'v0=', 't=1,v1=00'),
  fc.stringMatching(/^t=\d{1,12},v1=[0-9a-f]{0,64}$/),
  fc.stringMatching(/^sha256=[0-9a-f]{64}$/),
  fc.base64String(),
);

const body = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
  fc.json().map((j) => Buffer.from(j)),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
);

const STATUS = new Set([200, 400, 401, 404, 405, 413, 415, 422, 500, 502]);

describe('webhook ingest (property)', () => {
  it('random bodies, headers, sources and methods never crash it and never emit', async () => {
    const h = harness();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...SOURCES), fc.string()),
        fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', ''),
        fc.dictionary(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string()), headerValue),
        body,
        async (source, method, headers, raw) => {
          const res = await h.ingest({ source, method, url: `https://hooks.example/webhooks/${source}`, headers, body: raw });
          expect(STATUS.has(res.status)).toBe(true);
          expect(res.status).not.toBe(200);
          expect(() => JSON.parse(res.body)).not.toThrow();
          expect(h.publisher.events).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a signed delivery with any one byte changed, or any header dropped or altered, never emits', async () => {
    const samples = VENDOR_SAMPLES.map((s) => ({ ...s, body: sample(s.file) }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 1, max: 255 }), async (s, position, xor) => {
        const h = harness();
        const signed = delivery(h, s.source, s.body, { eventType: s.eventType });
        const changed = Buffer.from(s.body);
        const i = position % changed.length;
        changed[i] ^= xor;
        const res = await h.ingest({ ...signed, body: changed });
        expect(res.status).not.toBe(200);
        expect(h.publisher.events).toEqual([]);
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...samples), fc.nat(), fc.string({ minLength: 1 }), async (s, which, junk) => {
        const h = harness();
        const signed = delivery(h, s.source, s.body, { eventType: s.eventType });
        // Headers that carry the signature or a signed value (HubSpot's signature-version header is informational).
        const signing = Object.keys(signed.headers).filter((k) => /signature|hmac|timestamp/.test(k) && k !== 'x-hubspot-signature-version');
        const name = signing[which % signing.length];
        const value = signed.headers[name] ?? '';
        for (const headers of [
          { ...signed.headers, [name]: undefined },
          { ...signed.headers, [name]: junk.trim() === value.trim() ? `${junk}x` : junk },
        ]) {
          const res = await h.ingest({ ...signed, headers });
          expect(res.status).not.toBe(200);
        }
        expect(h.publisher.events).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
