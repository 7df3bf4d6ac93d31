/** The narrow I/O holes the ingest pipeline needs. Adapters fill them at one composition root. */
import type { BusEvent } from './types';

/** Publishes events on the bus and returns their event ids; throws when any entry was not accepted. */
export interface EventPublisher {
  publish(events: readonly BusEvent[]): Promise<string[]>;
}

/**
 * Remembers delivery ids. `claim` succeeds once per (source, id) — a
 * conditional write — so a redelivery is acknowledged but not emitted again.
 * `release` undoes a claim whose events could not be published, so the
 * vendor's retry gets through.
 */
export interface DeliveryLedger {
  claim(source: string, deliveryId: string, at: Date): Promise<boolean>;
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
