/**
 * Where a webhook body too big to travel in an event is kept. EventBridge
 * caps an entry at 256 KB and Step Functions a run's input at 256 KB with
 * everything else added, so a larger delivery is stored whole and the event
 * carries a reference (`detail.aiosPayload`); the agent step reads it back
 * (`resolvePayloadRefs`), so an agent given `event.detail` sees the whole delivery.
 */
import { createHash } from 'node:crypto';
import { AiosError } from '../errors';

export interface PayloadRef {
  bucket: string;
  key: string;
  bytes: number;
  sha256: string;
}

/** The port: store a delivery's body under a key. */
export interface PayloadStore {
  put(key: string, body: Buffer, contentType: string): Promise<PayloadRef>;
}

/** Largest event detail kept inline: leaves room in the 256 KB entry for the envelope and the run's own state. */
export const INLINE_DETAIL_LIMIT_BYTES = 200 * 1024;

/**
 * Largest body a vendor may send when a payload store is configured: Lambda takes a synchronous
 * request of 6 MB, of which API Gateway's envelope and headers need some.
 */
export const MAX_STORED_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

/** The key of a delivery's body: by source and content digest, so a vendor's retry overwrites nothing new. */
export function payloadKey(source: string, body: Buffer): { key: string; sha256: string } {
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { key: `webhooks/${source}/${sha256}.json`, sha256 };
}

/** Keeps what was stored (unit tests). */
export class MemoryPayloadStore implements PayloadStore {
  readonly objects = new Map<string, Buffer>();
  constructor(private readonly bucket = 'memory') {}
  async put(key: string, body: Buffer): Promise<PayloadRef> {
    this.objects.set(key, body);
    return { bucket: this.bucket, key, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  }
}

/** The port the agent step reads stored deliveries through. */
export interface PayloadReader {
  get(ref: PayloadRef): Promise<Buffer>;
}

/**
 * Largest stored delivery handed to an agent whole: the first message of its
 * conversation is one item of the state table (DynamoDB takes 400 KB an item).
 * A larger one fails the step with `Payload.TooLargeForAgent`.
 */
export const MAX_AGENT_PAYLOAD_BYTES = 300 * 1024;

export class PayloadUnreadableError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Payload.Unreadable', message, details);
  }
}

export class PayloadTooLargeForAgentError extends AiosError {
  constructor(ref: PayloadRef) {
    super(
      'Payload.TooLargeForAgent',
      `the stored delivery ${ref.key} (${ref.bytes} bytes) is larger than an agent takes whole (${MAX_AGENT_PAYLOAD_BYTES} bytes): give the agent a tool that reads what it needs of it`,
      { key: ref.key, bytes: ref.bytes },
    );
  }
}

function isPayloadRef(value: unknown): value is PayloadRef {
  const v = value as Partial<PayloadRef> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.bucket === 'string' &&
    typeof v.key === 'string' &&
    typeof v.bytes === 'number' &&
    typeof v.sha256 === 'string'
  );
}

/**
 * Replaces every `{ "aiosPayload": <ref> }` in a value with the delivery it
 * names (parsed JSON), read from this deployment's payload bucket and checked
 * against its digest, so a workflow passing `event.detail` to an agent hands
 * it the whole delivery without code of its own.
 *
 * @example await resolvePayloadRefs({ details: { aiosPayload: ref } }, reader, 'aios-payloads') // { details: { …the body… } }
 */
export async function resolvePayloadRefs(value: unknown, reader: PayloadReader, bucket: string): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolvePayloadRefs(v, reader, bucket)));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'aiosPayload' && isPayloadRef(record.aiosPayload)) {
    const ref = record.aiosPayload;
    // Only this deployment's stored deliveries: an event naming another bucket or key is refused, not followed.
    if (ref.bucket !== bucket || !ref.key.startsWith('webhooks/'))
      throw new PayloadUnreadableError(`the event names ${ref.bucket}/${ref.key}, which is not a delivery stored by this deployment`, {
        bucket: ref.bucket,
        key: ref.key,
      });
    if (ref.bytes > MAX_AGENT_PAYLOAD_BYTES) throw new PayloadTooLargeForAgentError(ref);
    const body = await reader.get(ref);
    if (createHash('sha256').update(body).digest('hex') !== ref.sha256)
      throw new PayloadUnreadableError(`the stored delivery ${ref.key} does not match its digest`, { key: ref.key });
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw new PayloadUnreadableError(`the stored delivery ${ref.key} is not JSON`, { key: ref.key });
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = await resolvePayloadRefs(record[key], reader, bucket);
  return out;
}
