/**
 * HubSpot webhooks, signature v3 (https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests):
 * `X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client secret, method + URI + body + timestamp))`,
 * timestamp from `X-HubSpot-Request-Timestamp` (Unix milliseconds), refused
 * when older than 5 minutes. In the URI, these percent-encodings are decoded
 * first: %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B. One request carries
 * a batch of events; each is its own bus event, deduplicated on its own id.
 */
import {
  anyMatches,
  hmac,
  parseEpoch,
  withinWindow,
  type NormaliseResult,
  type SourceEvent,
  type VerifyResult,
  type WebhookRequest,
  type WebhookSource,
} from '../../shared/webhooks';
import { describeIssues, header } from '../payload';
import { type SimulatedDelivery, type WebhookSigner } from '../signer';
import { HUBSPOT_TYPED_EVENTS, hubspotBatchSchema, hubspotEventSchema } from './schemas';

export * from './schemas';

const DECODED: Record<string, string> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};

/** The URI as HubSpot signs it. */
export function hubspotSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (_, hex: string) => DECODED[hex.toUpperCase()]);
}

function signedString(method: string, url: string, body: Buffer, timestamp: string): (Buffer | string)[] {
  return [`${method.toUpperCase()}${hubspotSignedUri(url)}`, body, timestamp];
}

export function verifyHubSpot(request: WebhookRequest, secrets: readonly string[], now: Date): VerifyResult {
  const signature = header(request.headers, 'x-hubspot-signature-v3');
  const timestamp = header(request.headers, 'x-hubspot-request-timestamp');
  if (!signature || !timestamp) return { ok: false, reason: 'missing_signature', message: 'no X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header' };
  const expected = secrets.map((s) => hmac('sha256', s, signedString(request.method, request.url, request.body, timestamp), 'base64'));
  if (!anyMatches(expected, [signature.trim()])) return { ok: false, reason: 'bad_signature', message: 'X-HubSpot-Signature-v3 does not match the request' };
  if (!withinWindow(parseEpoch(timestamp, 'milliseconds'), now))
    return { ok: false, reason: 'expired', message: `request timestamp ${timestamp.slice(0, 20)} is more than 5 minutes away` };
  return { ok: true };
}

export function normaliseHubSpot(payload: unknown): NormaliseResult {
  const batch = hubspotBatchSchema.safeParse(payload);
  if (!batch.success) return { ok: false, message: `a HubSpot payload is an array of 1-100 events: ${describeIssues(batch.error)}` };
  const events: SourceEvent[] = [];
  for (const [index, item] of batch.data.entries()) {
    const envelope = hubspotEventSchema.safeParse(item);
    if (!envelope.success) return { ok: false, message: `event ${index} is not a HubSpot event: ${describeIssues(envelope.error)}` };
    const typed = HUBSPOT_TYPED_EVENTS[envelope.data.subscriptionType];
    const parsed = typed ? typed.safeParse(item) : envelope;
    if (!parsed.success)
      return { ok: false, message: `event ${index} (${envelope.data.subscriptionType}) does not match its schema: ${describeIssues(parsed.error)}` };
    const e = envelope.data;
    events.push({
      detailType: e.subscriptionType,
      detail: parsed.data as Record<string, unknown>,
      // eventId alone is not guaranteed unique across subscriptions and portals.
      deliveryId: `${e.portalId}:${e.subscriptionId}:${e.eventId}`,
      time: new Date(e.occurredAt),
    });
  }
  return { ok: true, events };
}

export function signHubSpot(delivery: SimulatedDelivery): Record<string, string> {
  const timestamp = String(delivery.now.getTime());
  return {
    'content-type': 'application/json',
    'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
    'x-hubspot-request-timestamp': timestamp,
    'x-hubspot-signature-version': 'v3',
    'x-hubspot-signature-v3': hmac('sha256', delivery.secret, signedString(delivery.method ?? 'POST', delivery.url, delivery.body, timestamp), 'base64'),
  };
}

export const hubspotSource: WebhookSource = {
  name: 'hubspot',
  eventSource: 'saas.hubspot',
  secretName: 'webhook-hubspot',
  verify: verifyHubSpot,
  normalise: (payload) => normaliseHubSpot(payload),
};

export const hubspotSigner: WebhookSigner = { sign: signHubSpot };
