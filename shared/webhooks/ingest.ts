/**
 * The webhook ingest pipeline, pure over its ports:
 * source → method → size → content type → JSON → nesting → signature (and
 * replay window) → handshake → normalise → claim (conditional write) →
 * publish → mark done.
 *
 * Dedupe keys are covered by the signature: a vendor's id from the signed
 * body, else the body's digest, never an unsigned header, so a captured
 * delivery re-sent with a fresh id header is still a duplicate.
 *
 * Nothing is published unless every check passed; every refusal is recorded
 * with its reason, the body's size and digest (never the body or a secret).
 * It never throws: any unexpected error is a recorded 500.
 */
import { sha256Hex } from './hmac';
import { INLINE_DETAIL_LIMIT_BYTES, MAX_STORED_WEBHOOK_BODY_BYTES, payloadKey, type PayloadRef, type PayloadStore } from './payload-store';
import { jsonDepthExceeds, MAX_WEBHOOK_NESTING } from './json-depth';
import { deliveryResource } from './delivery-ledger';
import type { DeliveryLedger, EventPublisher, RefusalLog, SecretSource } from './ports';
import { REFUSALS, type RefusalKind } from './refusal';
import type { BusEvent, WebhookRequest, WebhookResponse, WebhookSource } from './types';

/** 256 KB: EventBridge's PutEvents entry limit, so an accepted body can always be published. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface WebhookIngestOptions {
  /** Known sources by name (the `<source>` in POST /webhooks/<source>). */
  sources: ReadonlyMap<string, WebhookSource>;
  /**
   * Sources AIOS knows that this deployment does not carry (no trigger listens for them), by name, with the event
   * source a trigger would name: a delivery to one is refused saying so, not as an unknown source.
   */
  notDeployed?: Readonly<Record<string, string>>;
  secrets: SecretSource;
  ledger: DeliveryLedger;
  publisher: EventPublisher;
  refusals: RefusalLog;
  now?: () => Date;
  /** Default 256 KB, or MAX_STORED_WEBHOOK_BODY_BYTES with a payload store. */
  maxBodyBytes?: number;
  /** Where bodies too big for an event go; without one such a delivery is refused. */
  payloads?: PayloadStore;
  /** Called when recording a refusal itself fails (the response is unchanged). */
  onLogError?: (error: unknown) => void;
}

export interface InboundWebhook extends WebhookRequest {
  /** The `<source>` path segment. */
  source: string;
  sourceIp?: string;
}

export type WebhookIngest = (request: InboundWebhook) => Promise<WebhookResponse>;

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]*\+)?json$/;

function jsonResponse(status: number, body: unknown): WebhookResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Printable, bounded source name for logs (the path segment is attacker-controlled). */
function safeName(name: string): string {
  return String(name)
    .replace(/[^A-Za-z0-9._-]/g, '?')
    .slice(0, 64);
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function secretList(value: string): string[] {
  // Several lines = several accepted secrets, for rotation without downtime.
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Builds the ingest function.
 *
 * @example
 * const ingest = createWebhookIngest({ sources, secrets, ledger, publisher, refusals });
 * const res = await ingest({ source: 'stripe', method: 'POST', url, headers, body });
 */
export function createWebhookIngest(options: WebhookIngestOptions): WebhookIngest {
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? (options.payloads ? MAX_STORED_WEBHOOK_BODY_BYTES : MAX_WEBHOOK_BODY_BYTES);

  return async function ingest(request: InboundWebhook): Promise<WebhookResponse> {
    const at = now();
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);

    async function refuse(kind: RefusalKind, reason: string): Promise<WebhookResponse> {
      const { status, code } = REFUSALS[kind];
      try {
        await options.refusals.record({
          source: safeName(request.source),
          status,
          code,
          reason,
          at,
          bodyBytes: body.length,
          bodySha256: sha256Hex(body),
          ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
        });
      } catch (error) {
        options.onLogError?.(error);
      }
      return jsonResponse(status, { error: { code, message: reason } });
    }

    try {
      const source = options.sources.get(String(request.source));
      if (!source) {
        const name = String(request.source);
        const eventSource = Object.hasOwn(options.notDeployed ?? {}, name) ? options.notDeployed![name] : undefined;
        if (eventSource === undefined) return await refuse('unknownSource', `no webhook source named "${safeName(name)}"`);
        return await refuse(
          'sourceNotDeployed',
          `webhook source "${name}" is not deployed: no workflow trigger listens for ${eventSource} events, so its verifier was left out; add a trigger and deploy again`,
        );
      }
      if (String(request.method).toUpperCase() !== 'POST')
        return await refuse('methodNotAllowed', `webhooks are delivered with POST, not ${safeName(request.method)}`);
      if (body.length > maxBodyBytes) return await refuse('tooLarge', `body of ${body.length} bytes exceeds ${maxBodyBytes} bytes`);

      const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!JSON_TYPE.test(mediaType)) return await refuse('unsupportedMediaType', `content type "${safeName(mediaType)}" is not application/json`);

      const parsed = parseJson(body);
      if (!parsed.ok) return await refuse('invalidJson', 'body is not valid UTF-8 JSON');
      if (jsonDepthExceeds(parsed.value, MAX_WEBHOOK_NESTING)) return await refuse('nestedTooDeep', `body nests deeper than ${MAX_WEBHOOK_NESTING} levels`);

      let secrets: string[];
      try {
        secrets = secretList(await options.secrets.getSecret(source.secretName));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return await refuse('secretUnavailable', `secret "${source.secretName}" is unavailable${typeof code === 'string' ? ` (${code})` : ''}`);
      }
      if (secrets.length === 0) return await refuse('secretUnavailable', `secret "${source.secretName}" is empty`);

      const verified = source.verify({ ...request, body }, secrets, at);
      if (!verified.ok) return await refuse(verified.reason, verified.message);

      const handshake = source.handshake?.(parsed.value);
      if (handshake) return handshake;

      const normalised = source.normalise(parsed.value, { ...request, body });
      if (!normalised.ok) return await refuse('invalidPayload', normalised.message);

      const digest = sha256Hex(body);
      const fresh: { deliveryId: string; event: BusEvent }[] = [];
      let stored: PayloadRef | undefined;
      let inProgress = 0;
      for (const [index, event] of normalised.events.entries()) {
        if (Buffer.byteLength(JSON.stringify(event.detail)) > INLINE_DETAIL_LIMIT_BYTES) {
          if (!options.payloads)
            return await refuse('tooLarge', `the event of ${body.length} bytes is too big for the event bus and no payload bucket is configured`);
          // Stored once per delivery, before any claim: a failure here leaves the vendor's retry free to succeed.
          stored ??= await options.payloads.put(payloadKey(source.name, body).key, body, 'application/json');
          event.detail = { aiosPayload: stored };
        }
        const deliveryId = event.deliveryId ?? `sha256:${digest}${normalised.events.length > 1 ? `#${index}` : ''}`;
        if (fresh.some((f) => f.deliveryId === deliveryId)) continue;
        const claim = await options.ledger.claim(source.name, deliveryId, at);
        if (claim === 'pending') inProgress++;
        if (claim !== 'claimed') continue;
        fresh.push({
          deliveryId,
          event: {
            source: source.eventSource,
            detailType: event.detailType,
            detail: event.detail,
            time: event.time && !Number.isNaN(event.time.getTime()) ? event.time : at,
            resources: [...(event.resources ?? []), deliveryResource(source.name, deliveryId)],
          },
        });
      }

      if (fresh.length > 0) {
        try {
          await options.publisher.publish(fresh.map((f) => f.event));
        } catch (error) {
          // Give the vendor's retry a chance: forget the claims of what was not published.
          await Promise.allSettled(fresh.map((f) => options.ledger.release(source.name, f.deliveryId)));
          return await refuse('publishFailed', `publishing to the event bus failed: ${(error as Error)?.message ?? String(error)}`.slice(0, 500));
        }
        // Published: from now on a redelivery is a duplicate. If this fails, the claim stays
        // pending and a retry after the lease publishes again (at least once, never lost).
        await Promise.all(fresh.map((f) => options.ledger.markDone(source.name, f.deliveryId)));
      }
      if (inProgress > 0) {
        return await refuse(
          'inProgress',
          `${inProgress} event${inProgress === 1 ? ' is' : 's are'} being published by an earlier attempt of this delivery; retry later`,
        );
      }
      const received = normalised.events.length;
      return jsonResponse(200, { received, emitted: fresh.length, duplicates: received - fresh.length });
    } catch (error) {
      return refuse('internal', `unexpected error: ${(error as Error)?.message ?? String(error)}`.slice(0, 500));
    }
  };
}
