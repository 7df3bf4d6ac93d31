/**
 * Reads an event sample for `aios send-event` and turns it into EventBridge
 * PutEvents entries. Accepted shapes:
 * - a full event as EventBridge delivers it: `{ source, "detail-type", detail, time?, resources? }`;
 * - a PutEvents entry `{ Source, DetailType, Detail }` (Detail a JSON string or an object), or `{ Entries: [...] }`;
 * - an array of either;
 * - a SaaS webhook payload from events/samples (`<vendor>.<event>.json`),
 *   normalised by that vendor's webhook source exactly as webhook ingest does
 *   after checking the signature.
 */
import path from 'node:path';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { webhookVendors, type WebhookVendor } from '../events';
import { AiosError } from '../shared/errors';

export class EventSampleError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Events.BadSample', message, details);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function detailText(detail: unknown, where: string): string {
  if (typeof detail === 'string') return detail;
  if (isRecord(detail)) return JSON.stringify(detail);
  throw new EventSampleError(`${where}: the detail must be a JSON object`);
}

function time(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const d = new Date(value as string);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length ? (value as string[]) : undefined;
}

/** One entry from a full event or a PutEvents entry; undefined when it is neither. */
function entryOf(item: unknown, where: string): PutEventsRequestEntry | undefined {
  if (!isRecord(item)) return undefined;
  if ('detail-type' in item || ('source' in item && 'detail' in item)) {
    if (typeof item.source !== 'string' || typeof item['detail-type'] !== 'string')
      throw new EventSampleError(`${where}: an event needs "source" and "detail-type" strings`);
    const t = time(item.time);
    const resources = strings(item.resources);
    return {
      Source: item.source,
      DetailType: item['detail-type'],
      Detail: detailText(item.detail ?? {}, where),
      ...(t ? { Time: t } : {}),
      ...(resources ? { Resources: resources } : {}),
    };
  }
  if ('DetailType' in item || 'Source' in item) {
    if (typeof item.Source !== 'string' || typeof item.DetailType !== 'string')
      throw new EventSampleError(`${where}: a PutEvents entry needs "Source" and "DetailType" strings`);
    const t = time(item.Time);
    const resources = strings(item.Resources);
    return {
      Source: item.Source,
      DetailType: item.DetailType,
      Detail: detailText(item.Detail ?? {}, where),
      ...(t ? { Time: t } : {}),
      ...(resources ? { Resources: resources } : {}),
      ...(typeof item.EventBusName === 'string' ? { EventBusName: item.EventBusName } : {}),
      ...(typeof item.TraceHeader === 'string' ? { TraceHeader: item.TraceHeader } : {}),
    };
  }
  return undefined;
}

/** A vendor sample: the file is `<vendor>.<…>.json` and that vendor's normaliser accepts it. */
function fromVendorSample(payload: unknown, body: Buffer, fileName: string, vendors: Map<string, WebhookVendor>): PutEventsRequestEntry[] | undefined {
  const stem = path.basename(fileName).replace(/\.json$/i, '');
  const name = stem.split('.')[0];
  const vendor = vendors.get(name);
  if (!vendor) return undefined;
  const url = `http://127.0.0.1/webhooks/${name}`;
  const eventType = vendor.signer.eventTypeFromSampleStem?.(stem.slice(name.length + 1));
  // The signer knows which headers carry the event type (GitHub, Shopify); the signature itself is not checked here.
  const headers = Object.fromEntries(
    Object.entries(vendor.signer.sign({ body, secret: 'unused', now: new Date(), url, method: 'POST', eventType })).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const result = vendor.source.normalise(payload, { method: 'POST', url, headers, body });
  if (!result.ok) throw new EventSampleError(`${fileName} looks like a ${name} webhook payload, but: ${result.message}`);
  return result.events.map((e) => ({
    Source: vendor.source.eventSource,
    DetailType: e.detailType,
    Detail: JSON.stringify(e.detail),
    ...(e.time ? { Time: e.time } : {}),
    ...(e.resources?.length ? { Resources: e.resources } : {}),
  }));
}

/**
 * PutEvents entries (without bus) for the JSON text of a sample file.
 * @throws EventSampleError naming what is wrong with the file
 */
export function eventEntriesFromSample(text: string, fileName: string, vendors: Map<string, WebhookVendor> = webhookVendors([])): PutEventsRequestEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EventSampleError(`${fileName} is not JSON: ${(error as Error).message}`, { file: fileName });
  }
  const items = isRecord(value) && Array.isArray(value.Entries) ? value.Entries : Array.isArray(value) ? value : [value];
  const entries = items.map((item, i) => entryOf(item, items.length > 1 ? `${fileName} item ${i + 1}` : fileName));
  if (items.length > 0 && entries.every((e) => e !== undefined)) return entries as PutEventsRequestEntry[];
  const vendor = fromVendorSample(value, Buffer.from(text), fileName, vendors);
  if (vendor) return vendor;
  throw new EventSampleError(
    `${fileName} is not an event: expected { "source", "detail-type", "detail" }, a PutEvents entry { "Source", "DetailType", "Detail" }, or a webhook sample named <vendor>.<event>.json (vendors: ${[...vendors.keys()].join(', ')})`,
    { file: fileName },
  );
}
