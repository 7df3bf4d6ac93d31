/**
 * An ingest pipeline over in-memory ports, and helpers to deliver signed
 * samples to it the way each vendor would. Shared by webhook unit, property
 * and end-to-end tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { webhookVendors, type WebhookVendor } from '../../events';
import { MemoryTable } from '../../shared/storage/memory-table';
import {
  createWebhookIngest,
  MemoryRefusalLog,
  RecordingPublisher,
  TableDeliveryLedger,
  type InboundWebhook,
  type SecretSource,
  type WebhookIngestOptions,
  type WebhookResponse,
} from '../../shared/webhooks';

export const SAMPLES_DIR = path.join(__dirname, '..', '..', 'events', 'samples');

export function sample(file: string): Buffer {
  return readFileSync(path.join(SAMPLES_DIR, file));
}

export const SECRETS: Record<string, string> = {
  'webhook-stripe': 'whsec_test_5f1c0e7a9b2d4c6e8f0a1b3c5d7e9f1a',
  'webhook-github': 'gh-hook-secret-kestrel',
  'webhook-shopify': 'shpss_0123456789abcdef0123456789abcdef',
  'webhook-slack': '8f742231b10e8888abcd99yyyzzz85a5',
  'webhook-zendesk': 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
  'webhook-hubspot': 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
  'webhook-generic': 'generic-shared-secret',
};

export class MapSecrets implements SecretSource {
  constructor(readonly values: Record<string, string> = { ...SECRETS }) {}
  async getSecret(name: string): Promise<string> {
    const v = this.values[name];
    if (v === undefined) throw Object.assign(new Error(`no secret ${name}`), { code: 'Secret.NotFound' });
    return v;
  }
}

export interface Harness {
  ingest: (request: InboundWebhook) => Promise<WebhookResponse>;
  publisher: RecordingPublisher;
  refusals: MemoryRefusalLog;
  table: MemoryTable;
  secrets: MapSecrets;
  vendors: Map<string, WebhookVendor>;
  clock: { now: Date };
}

export function harness(overrides: Partial<WebhookIngestOptions> = {}): Harness {
  const vendors = webhookVendors([]);
  const publisher = new RecordingPublisher();
  const refusals = new MemoryRefusalLog();
  const table = new MemoryTable('state');
  const secrets = new MapSecrets();
  const clock = { now: new Date('2026-01-09T15:00:00Z') };
  const ingest = createWebhookIngest({
    sources: new Map([...vendors].map(([n, v]) => [n, v.source])),
    secrets,
    ledger: new TableDeliveryLedger(table),
    publisher,
    refusals,
    now: () => clock.now,
    ...overrides,
  });
  return { ingest, publisher, refusals, table, secrets, vendors, clock };
}

export const BASE_URL = 'https://hooks.kestrel.example';

export interface DeliveryOptions {
  secret?: string;
  /** When the vendor signed it; default the harness clock. */
  signedAt?: Date;
  eventType?: string;
  deliveryId?: string;
  url?: string;
}

/** A request signed as `source` would sign it. */
export function delivery(h: Pick<Harness, 'vendors' | 'clock'>, source: string, body: Buffer, options: DeliveryOptions = {}): InboundWebhook {
  const vendor = h.vendors.get(source);
  if (!vendor) throw new Error(`no vendor ${source}`);
  const url = options.url ?? `${BASE_URL}/webhooks/${source}`;
  const headers = vendor.signer.sign({
    body,
    secret: options.secret ?? SECRETS[vendor.source.secretName],
    now: options.signedAt ?? h.clock.now,
    url,
    method: 'POST',
    eventType: options.eventType,
    deliveryId: options.deliveryId,
  });
  return { source, method: 'POST', url, headers, body };
}

/** Per vendor: a sample, and the event type it stands for when that travels in a header. */
export const VENDOR_SAMPLES: { source: string; file: string; eventType?: string; detailType: string; timestamped: boolean }[] = [
  { source: 'stripe', file: 'stripe.charge.dispute.created.json', detailType: 'charge.dispute.created', timestamped: true },
  { source: 'github', file: 'github.issues.json', eventType: 'issues', detailType: 'issues', timestamped: false },
  { source: 'shopify', file: 'shopify.orders.create.json', eventType: 'orders/create', detailType: 'orders/create', timestamped: false },
  { source: 'slack', file: 'slack.app_mention.json', detailType: 'app_mention', timestamped: true },
  { source: 'zendesk', file: 'zendesk.ticket-created.json', detailType: 'zen:event-type:ticket.created', timestamped: true },
  { source: 'hubspot', file: 'hubspot.contact.creation.json', detailType: 'contact.creation', timestamped: true },
  { source: 'generic', file: 'generic.order.paid.json', detailType: 'order.paid', timestamped: true },
];

/** The same bytes with one character changed inside a JSON string value (still valid JSON). */
export function altered(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const i = text.search(/[a-z]/);
  return Buffer.from(text.slice(0, i) + (text[i] === 'a' ? 'b' : 'a') + text.slice(i + 1), 'utf8');
}
