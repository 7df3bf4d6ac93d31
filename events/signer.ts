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
