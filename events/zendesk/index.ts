/**
 * Zendesk webhooks (https://developer.zendesk.com/documentation/webhooks/verifying/):
 * `X-Zendesk-Webhook-Signature: base64(HMAC-SHA256(signing secret, TIMESTAMP + BODY))`
 * with TIMESTAMP the `X-Zendesk-Webhook-Signature-Timestamp` header (ISO 8601),
 * refused beyond 5 minutes. The event id (`id`, in the signed body) is the
 * delivery id; a trigger-built payload without one is deduplicated by its
 * digest (`X-Zendesk-Webhook-Invocation-Id` is not signed).
 */
import { randomUUID } from 'node:crypto';
import {
  anyMatches,
  hmac,
  parseIso,
  withinWindow,
  type NormaliseResult,
  type VerifyResult,
  type WebhookRequest,
  type WebhookSource,
} from '../../shared/webhooks';
import { describeIssues, header, isRecord } from '../payload';
import { type SimulatedDelivery, type WebhookSigner } from '../signer';
import { ZENDESK_TYPED_EVENTS, zendeskEventSchema } from './schemas';

export * from './schemas';

export function verifyZendesk(request: WebhookRequest, secrets: readonly string[], now: Date): VerifyResult {
  const signature = header(request.headers, 'x-zendesk-webhook-signature');
  const timestamp = header(request.headers, 'x-zendesk-webhook-signature-timestamp');
  if (!signature || !timestamp) return { ok: false, reason: 'missing_signature', message: 'no X-Zendesk-Webhook-Signature or its timestamp header' };
  const expected = secrets.map((s) => hmac('sha256', s, [timestamp, request.body], 'base64'));
  if (!anyMatches(expected, [signature.trim()]))
    return { ok: false, reason: 'bad_signature', message: 'X-Zendesk-Webhook-Signature does not match the payload' };
  if (!withinWindow(parseIso(timestamp), now))
    return { ok: false, reason: 'expired', message: `signature timestamp ${timestamp.slice(0, 40)} is more than 5 minutes away` };
  return { ok: true };
}

export function normaliseZendesk(payload: unknown): NormaliseResult {
  if (!isRecord(payload)) return { ok: false, message: 'a Zendesk payload is a JSON object' };
  if (typeof payload.type !== 'string') {
    // A trigger or automation webhook: the body is whatever the admin wrote.
    return { ok: true, events: [{ detailType: 'zendesk.webhook', detail: payload }] };
  }
  const envelope = zendeskEventSchema.safeParse(payload);
  if (!envelope.success) return { ok: false, message: `not a Zendesk event: ${describeIssues(envelope.error)}` };
  const typed = ZENDESK_TYPED_EVENTS[envelope.data.type];
  const parsed = typed ? typed.safeParse(payload) : envelope;
  if (!parsed.success) return { ok: false, message: `Zendesk ${envelope.data.type} does not match its schema: ${describeIssues(parsed.error)}` };
  return {
    ok: true,
    events: [
      { detailType: envelope.data.type, detail: parsed.data as Record<string, unknown>, deliveryId: envelope.data.id, time: new Date(envelope.data.time) },
    ],
  };
}

export function signZendesk(delivery: SimulatedDelivery): Record<string, string> {
  const timestamp = delivery.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'content-type': 'application/json',
    'user-agent': 'Zendesk Webhook',
    'x-zendesk-account-id': '9242270',
    'x-zendesk-webhook-id': '01HV2ZKESTRELWEBHOOK00001',
    'x-zendesk-webhook-invocation-id': delivery.deliveryId ?? randomUUID(),
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': hmac('sha256', delivery.secret, [timestamp, delivery.body], 'base64'),
  };
}

export const zendeskSource: WebhookSource = {
  name: 'zendesk',
  eventSource: 'saas.zendesk',
  secretName: 'webhook-zendesk',
  verify: verifyZendesk,
  normalise: normaliseZendesk,
};

export const zendeskSigner: WebhookSigner = { sign: signZendesk };
