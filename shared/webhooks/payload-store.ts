/**
 * Where a webhook body too big to travel in an event is kept. EventBridge
 * caps an entry at 256 KB and Step Functions a run's input at 256 KB with
 * everything else added, so a larger delivery is stored whole and the event
 * carries a reference (`detail.aiosPayload`) a workflow's tool can read.
 */
import { createHash } from 'node:crypto';

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
