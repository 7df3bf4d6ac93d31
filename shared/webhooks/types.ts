/**
 * The shapes the webhook ingest pipeline works on. Vendor knowledge lives in
 * `events/<vendor>/` as `WebhookSource`s; the pipeline (ingest.ts) only knows
 * this interface, so it stays pure and testable over its ports.
 */

/** An inbound HTTP request, with the body exactly as received. */
export interface WebhookRequest {
  method: string;
  /** The URL the sender signed (HubSpot v3 signs it): scheme, host, path and query. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body bytes; verifiers sign these, never a re-serialisation. */
  body: Buffer;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Why a signature check failed; each maps to 401. */
export type SignatureFailure = 'missing_signature' | 'bad_signature' | 'expired';

export type VerifyResult = { ok: true } | { ok: false; reason: SignatureFailure; message: string };

/** One event a delivery carries (HubSpot batches several per request). */
export interface SourceEvent {
  /** The vendor's event type, used as the EventBridge detail-type. */
  detailType: string;
  detail: Record<string, unknown>;
  /** The vendor's id for this event/delivery, used for dedupe; a digest of the body when absent. */
  deliveryId?: string;
  /** When the vendor says the event happened. */
  time?: Date;
  resources?: string[];
}

export type NormaliseResult = { ok: true; events: SourceEvent[] } | { ok: false; message: string };

/** A SaaS product that sends signed webhooks. One module per vendor in events/. */
export interface WebhookSource {
  /** The path segment: POST /webhooks/<name>. */
  readonly name: string;
  /** EventBridge `source`, e.g. `saas.stripe`. */
  readonly eventSource: string;
  /** The secret's name for the secret provider, e.g. `webhook-stripe`. */
  readonly secretName: string;
  /**
   * Checks the signature over the raw body. `secrets` holds every accepted
   * secret (more than one while a secret is being rotated).
   */
  verify(request: WebhookRequest, secrets: readonly string[], now: Date): VerifyResult;
  /** A response to send instead of emitting (Slack's url_verification challenge); after verification. */
  handshake?(payload: unknown): WebhookResponse | undefined;
  /** The typed events in a verified payload. */
  normalise(payload: unknown, request: WebhookRequest): NormaliseResult;
}

/** An event for the bus (EventBridge PutEvents entry, before serialisation). */
export interface BusEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  time: Date;
  resources?: string[];
}
