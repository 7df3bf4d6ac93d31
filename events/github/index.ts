/**
 * GitHub webhooks (https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries):
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`; the event
 * name in `X-GitHub-Event`, a unique id per delivery in `X-GitHub-Delivery`
 * (kept on redelivery). Neither header nor any timestamp is signed, so
 * replays are caught by the body's digest (the ingest's default dedupe key),
 * and the event name must fit the body it arrived with.
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

/**
 * What the body of each common event carries (and must not), from GitHub's
 * webhook payload reference. Other events carry an object named after them
 * (`check_run` → `check_run`), which is what an unlisted name must show.
 */
const EVENT_SHAPES: Record<string, { has: readonly string[]; not?: readonly string[] }> = {
  ping: { has: ['zen', 'hook_id'] },
  push: { has: ['ref', 'before', 'after'], not: ['ref_type'] },
  create: { has: ['ref', 'ref_type'], not: ['before'] },
  delete: { has: ['ref', 'ref_type'], not: ['before'] },
  issues: { has: ['action', 'issue'], not: ['comment'] },
  issue_comment: { has: ['action', 'issue', 'comment'] },
  pull_request: { has: ['action', 'pull_request'], not: ['review', 'comment'] },
  pull_request_review: { has: ['action', 'pull_request', 'review'] },
  pull_request_review_comment: { has: ['action', 'pull_request', 'comment'] },
  star: { has: ['action', 'starred_at'] },
  fork: { has: ['forkee'] },
  status: { has: ['sha', 'state', 'context'] },
  deployment_status: { has: ['deployment_status', 'deployment'] },
};

/** Why the X-GitHub-Event header does not fit the (signed) body; undefined when it does. */
export function githubEventMismatch(event: string, payload: Record<string, unknown>): string | undefined {
  const shape = EVENT_SHAPES[event] ?? { has: [event] };
  const missing = shape.has.filter((key) => !(key in payload));
  if (missing.length) return `X-GitHub-Event ${event} does not fit the body: no ${missing.join(', ')}`;
  const extra = (shape.not ?? []).filter((key) => key in payload);
  if (extra.length) return `X-GitHub-Event ${event} does not fit the body: it has ${extra.join(', ')}`;
  return undefined;
}

export function normaliseGitHub(payload: unknown, request: WebhookRequest): NormaliseResult {
  const event = header(request.headers, 'x-github-event');
  if (!event || !/^[a-z_]{1,64}$/.test(event)) return { ok: false, message: 'no valid X-GitHub-Event header' };
  if (!isRecord(payload)) return { ok: false, message: 'a GitHub payload is a JSON object' };
  const mismatch = githubEventMismatch(event, payload);
  if (mismatch) return { ok: false, message: mismatch };
  const resources = isRecord(payload.repository) && typeof payload.repository.html_url === 'string' ? [payload.repository.html_url] : undefined;
  return {
    ok: true,
    // No deliveryId: X-GitHub-Delivery is not signed, so the body's digest is the dedupe key.
    events: [{ detailType: event, detail: payload, ...(resources ? { resources } : {}) }],
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
