/**
 * GitHub webhooks (https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries):
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`; the event
 * name in `X-GitHub-Event`, a unique id per delivery in `X-GitHub-Delivery`
 * (kept on redelivery). No timestamp is signed: replays are caught by the id.
 */
import { randomUUID } from 'node:crypto';
import { anyMatches, hmac, type NormaliseResult, type VerifyResult, type WebhookRequest, type WebhookSource } from '../../shared/webhooks';
import { header, isRecord } from '../payload';
import { type SimulatedDelivery, type WebhookSigner } from '../signer';

export function verifyGitHub(request: WebhookRequest, secrets: readonly string[]): VerifyResult {
  const value = header(request.headers, 'x-hub-signature-256');
  if (!value) return { ok: false, reason: 'missing_signature', message: 'no X-Hub-Signature-256 header' };
  if (!value.startsWith('sha256=')) return { ok: false, reason: 'bad_signature', message: 'X-Hub-Signature-256 does not start with sha256=' };
  const expected = secrets.map((s) => `sha256=${hmac('sha256', s, request.body, 'hex')}`);
  return anyMatches(expected, [value]) ? { ok: true } : { ok: false, reason: 'bad_signature', message: 'X-Hub-Signature-256 does not match the payload' };
}

export function normaliseGitHub(payload: unknown, request: WebhookRequest): NormaliseResult {
  const event = header(request.headers, 'x-github-event');
  if (!event || !/^[a-z_]{1,64}$/.test(event)) return { ok: false, message: 'no valid X-GitHub-Event header' };
  if (!isRecord(payload)) return { ok: false, message: 'a GitHub payload is a JSON object' };
  const resources = isRecord(payload.repository) && typeof payload.repository.html_url === 'string' ? [payload.repository.html_url] : undefined;
  return {
    ok: true,
    events: [{ detailType: event, detail: payload, deliveryId: header(request.headers, 'x-github-delivery'), ...(resources ? { resources } : {}) }],
  };
}

export function signGitHub(delivery: SimulatedDelivery): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/aios-cli',
    'x-github-event': delivery.eventType ?? 'ping',
    'x-github-delivery': delivery.deliveryId ?? randomUUID(),
    'x-github-hook-id': '424242',
    'x-hub-signature-256': `sha256=${hmac('sha256', delivery.secret, delivery.body, 'hex')}`,
  };
}

export const githubSource: WebhookSource = {
  name: 'github',
  eventSource: 'saas.github',
  secretName: 'webhook-github',
  verify: (request, secrets) => verifyGitHub(request, secrets),
  normalise: normaliseGitHub,
};

/** Sample `github.<event>.json` stands for X-GitHub-Event `<event>`. */
export const githubSigner: WebhookSigner = { sign: signGitHub, eventTypeFromSampleStem: (stem) => stem.split('.')[0] };
