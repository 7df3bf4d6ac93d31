/**
 * Slack Events API (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + raw body)>`,
 * `X-Slack-Request-Timestamp` in Unix seconds, refused beyond 5 minutes. The
 * `url_verification` request (signed like the rest) is answered with its
 * challenge. Event callbacks carry a unique `event_id` (kept on retries).
 */
import {
  anyMatches,
  hmac,
  withinWindow,
  type NormaliseResult,
  type VerifyResult,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookSource,
} from '../../shared/webhooks';
import { header, isRecord } from '../payload';
import { type SimulatedDelivery, type WebhookSigner } from '../signer';

function baseString(timestamp: string, body: Buffer): (Buffer | string)[] {
  return [`v0:${timestamp}:`, body];
}

export function verifySlack(request: WebhookRequest, secrets: readonly string[], now: Date): VerifyResult {
  const signature = header(request.headers, 'x-slack-signature');
  const timestamp = header(request.headers, 'x-slack-request-timestamp');
  if (!signature || !timestamp) return { ok: false, reason: 'missing_signature', message: 'no X-Slack-Signature or X-Slack-Request-Timestamp header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_signature', message: 'X-Slack-Request-Timestamp is not Unix seconds' };
  const expected = secrets.map((s) => `v0=${hmac('sha256', s, baseString(timestamp, request.body), 'hex')}`);
  if (!anyMatches(expected, [signature])) return { ok: false, reason: 'bad_signature', message: 'X-Slack-Signature does not match the payload' };
  if (!withinWindow(Number(timestamp) * 1000, now))
    return { ok: false, reason: 'expired', message: `request timestamp ${timestamp} is more than 5 minutes away` };
  return { ok: true };
}

export function slackHandshake(payload: unknown): WebhookResponse | undefined {
  if (!isRecord(payload) || payload.type !== 'url_verification' || typeof payload.challenge !== 'string') return undefined;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: payload.challenge }) };
}

export function normaliseSlack(payload: unknown): NormaliseResult {
  if (!isRecord(payload) || typeof payload.type !== 'string' || !payload.type) return { ok: false, message: 'a Slack payload is an object with a "type"' };
  if (payload.type === 'event_callback') {
    const event = payload.event;
    if (!isRecord(event) || typeof event.type !== 'string' || !event.type) return { ok: false, message: 'Slack event_callback without event.type' };
    return {
      ok: true,
      events: [
        {
          detailType: event.type,
          detail: payload,
          ...(typeof payload.event_id === 'string' ? { deliveryId: payload.event_id } : {}),
          ...(typeof payload.event_time === 'number' ? { time: new Date(payload.event_time * 1000) } : {}),
        },
      ],
    };
  }
  return { ok: true, events: [{ detailType: payload.type, detail: payload }] };
}

export function signSlack(delivery: SimulatedDelivery): Record<string, string> {
  const timestamp = String(Math.floor(delivery.now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': `v0=${hmac('sha256', delivery.secret, baseString(timestamp, delivery.body), 'hex')}`,
  };
}

export const slackSource: WebhookSource = {
  name: 'slack',
  eventSource: 'saas.slack',
  secretName: 'webhook-slack',
  verify: verifySlack,
  handshake: slackHandshake,
  normalise: (payload) => normaliseSlack(payload),
};

export const slackSigner: WebhookSigner = { sign: signSlack };
