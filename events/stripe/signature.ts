/**
 * Stripe webhook signatures (https://docs.stripe.com/webhooks#verify-manually):
 * `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`, where v1 is
 * HMAC-SHA256(endpoint secret, `${t}.${raw body}`). Several v1 values appear
 * while a secret is being rolled; any may match. v0 (test-mode legacy) is
 * ignored. Default tolerance: 5 minutes.
 */
import { randomUUID } from 'node:crypto';
import { anyMatches, hmac, withinWindow, DEFAULT_TOLERANCE_SECONDS, type VerifyResult, type WebhookRequest } from '../../shared/webhooks';
import { header } from '../payload';
import { type SimulatedDelivery } from '../signer';

function signedPayload(timestamp: string, body: Buffer): (Buffer | string)[] {
  return [`${timestamp}.`, body];
}

export function verifyStripe(request: WebhookRequest, secrets: readonly string[], now: Date, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): VerifyResult {
  const value = header(request.headers, 'stripe-signature');
  if (!value) return { ok: false, reason: 'missing_signature', message: 'no Stripe-Signature header' };
  let timestamp: string | undefined;
  const v1: string[] = [];
  for (const item of value.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (key === 't' && timestamp === undefined) timestamp = val;
    if (key === 'v1') v1.push(val);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_signature', message: 'Stripe-Signature has no valid t= timestamp' };
  if (v1.length === 0) return { ok: false, reason: 'bad_signature', message: 'Stripe-Signature has no v1= signature' };
  const expected = secrets.map((s) => hmac('sha256', s, signedPayload(timestamp, request.body), 'hex'));
  if (!anyMatches(expected, v1)) return { ok: false, reason: 'bad_signature', message: 'no v1 signature matches the payload' };
  if (!withinWindow(Number(timestamp) * 1000, now, toleranceSeconds)) {
    return { ok: false, reason: 'expired', message: `timestamp ${timestamp} is outside the ${toleranceSeconds} s tolerance` };
  }
  return { ok: true };
}

/** The headers Stripe sends. */
export function signStripe(delivery: SimulatedDelivery): Record<string, string> {
  const t = String(Math.floor(delivery.now.getTime() / 1000));
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    'stripe-signature': `t=${t},v1=${hmac('sha256', delivery.secret, signedPayload(t, delivery.body), 'hex')},v0=${randomUUID().replace(/-/g, '')}`,
  };
}
