/** The narrow I/O holes the ingest pipeline needs. Adapters fill them at one composition root. */
import type { BusEvent } from './types';

/** Publishes events on the bus and returns their event ids; throws when any entry was not accepted. */
export interface EventPublisher {
  publish(events: readonly BusEvent[]): Promise<string[]>;
}

/**
 * `claimed`: this attempt publishes the delivery; `done`: it was published
 * before (a duplicate); `pending`: another attempt claimed it moments ago and
 * may still be publishing (the vendor should retry later).
 */
export type ClaimResult = 'claimed' | 'done' | 'pending';

/**
 * Remembers delivery ids. `claim` takes a delivery as pending — a
 * conditional write, one attempt wins — and `markDone` records that its
 * events were published, so only then is a redelivery a duplicate. A pending
 * claim older than a lease (its attempt died) is taken over by a retry.
 * `release` undoes a claim whose events could not be published.
 */
export interface DeliveryLedger {
  claim(source: string, deliveryId: string, at: Date): Promise<ClaimResult>;
  markDone(source: string, deliveryId: string): Promise<void>;
  release(source: string, deliveryId: string): Promise<void>;
}

/** What is kept about a refused request: never the secret, never the full body. */
export interface Refusal {
  source: string;
  status: number;
  /** Stable code, e.g. `Webhook.BadSignature`. */
  code: string;
  reason: string;
  at: Date;
  bodyBytes: number;
  /** sha256 of the body, so a refusal can be matched with the vendor's delivery log. */
  bodySha256: string;
  /** The sender's address when known. */
  sourceIp?: string;
}

export interface RefusalLog {
  record(refusal: Refusal): Promise<void>;
}

/** Secrets by name. */
export interface SecretSource {
  getSecret(name: string): Promise<string>;
}
