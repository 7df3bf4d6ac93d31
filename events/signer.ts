/**
 * How a vendor signs a delivery, for `aios webhook <source> <file>` and tests:
 * given a body and the shared secret, the headers the vendor would send.
 */
export interface SimulatedDelivery {
  body: Buffer;
  secret: string;
  now: Date;
  /** The URL the delivery is posted to (HubSpot signs it). */
  url: string;
  method?: string;
  /** The vendor's event type when it travels in a header (GitHub, Shopify). */
  eventType?: string;
  /** The vendor's delivery id when it travels in a header; random otherwise. */
  deliveryId?: string;
}

export interface WebhookSigner {
  sign(delivery: SimulatedDelivery): Record<string, string>;
  /** The event type a sample file stands for, from its name `<vendor>.<stem>.json`. */
  eventTypeFromSampleStem?(stem: string): string;
}

/** Lower-cases header names and drops absent values. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A zod error as one short line for a refusal reason. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
