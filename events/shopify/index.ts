/**
 * Shopify webhooks (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries):
 * `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256(client secret, raw body)>`; the
 * topic in `X-Shopify-Topic` (e.g. `orders/create`), the delivery id in
 * `X-Shopify-Webhook-Id` (`X-Shopify-Event-Id` identifies the event across
 * subscriptions). Neither id nor any timestamp is signed, so replays are
 * caught by the body's digest (the ingest's default dedupe key).
 */
import { randomUUID } from 'node:crypto';
import { anyMatches, hmac, type NormaliseResult, type VerifyResult, type WebhookRequest, type WebhookSource } from '../../shared/webhooks';
import { header, isRecord } from '../payload';
import { type SimulatedDelivery, type WebhookSigner } from '../signer';

export function verifyShopify(request: WebhookRequest, secrets: readonly string[]): VerifyResult {
  const value = header(request.headers, 'x-shopify-hmac-sha256');
  if (!value) return { ok: false, reason: 'missing_signature', message: 'no X-Shopify-Hmac-Sha256 header' };
  const expected = secrets.map((s) => hmac('sha256', s, request.body, 'base64'));
  return anyMatches(expected, [value.trim()])
    ? { ok: true }
    : { ok: false, reason: 'bad_signature', message: 'X-Shopify-Hmac-Sha256 does not match the payload' };
}

export function normaliseShopify(payload: unknown, request: WebhookRequest): NormaliseResult {
  const topic = header(request.headers, 'x-shopify-topic');
  if (!topic || !/^[a-z_]+\/[a-z_]+$/.test(topic)) return { ok: false, message: 'no valid X-Shopify-Topic header' };
  if (!isRecord(payload)) return { ok: false, message: 'a Shopify payload is a JSON object' };
  const triggeredAt = header(request.headers, 'x-shopify-triggered-at');
  const shop = header(request.headers, 'x-shopify-shop-domain');
  return {
    ok: true,
    events: [
      {
        detailType: topic,
        detail: payload,
        ...(triggeredAt ? { time: new Date(triggeredAt) } : {}),
        ...(shop ? { resources: [`https://${shop}`] } : {}),
      },
    ],
  };
}

export function signShopify(delivery: SimulatedDelivery): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': delivery.eventType ?? 'orders/create',
    'x-shopify-hmac-sha256': hmac('sha256', delivery.secret, delivery.body, 'base64'),
    'x-shopify-shop-domain': 'kestrel-coffee.myshopify.com',
    'x-shopify-api-version': '2025-07',
    'x-shopify-webhook-id': delivery.deliveryId ?? randomUUID(),
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': delivery.now.toISOString(),
  };
}

export const shopifySource: WebhookSource = {
  name: 'shopify',
  eventSource: 'saas.shopify',
  secretName: 'webhook-shopify',
  verify: (request, secrets) => verifyShopify(request, secrets),
  normalise: normaliseShopify,
};

/** Sample `shopify.orders.create.json` stands for topic `orders/create`. */
export const shopifySigner: WebhookSigner = { sign: signShopify, eventTypeFromSampleStem: (stem) => stem.replace('.', '/') };
