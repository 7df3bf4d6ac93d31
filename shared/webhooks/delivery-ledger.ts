/**
 * Webhook dedupe on the `Table` port (the `state` table): one item per
 * (source, delivery id). A delivery is first claimed as `pending` (a
 * conditional write: one attempt wins), and marked `done` only after its
 * events were published. So a process that dies in between leaves a pending
 * claim, which the vendor's retry takes over once the claim is older than
 * the lease; only a `done` delivery is answered "duplicate".
 * `expiresAt` (epoch seconds) lets DynamoDB TTL drop old ids.
 */
import { ConditionFailedError, type Table } from '../storage/table';
import type { ClaimResult, DeliveryLedger } from './ports';

/** Vendors retry for up to three days (Stripe); keep ids a while longer. */
const RETAIN_SECONDS = 30 * 24 * 3600;

/**
 * How long a pending claim protects an attempt that may still be publishing.
 * Longer than one PutEvents call takes, shorter than any vendor's first retry.
 */
export const CLAIM_LEASE_MS = 60_000;

/**
 * The resource entry a published event carries to name its delivery, so a
 * consumer can recognise the one duplicate the ledger cannot prevent: the
 * process died after the bus accepted the event and before `markDone`, and
 * the vendor's retry published it again.
 */
export const DELIVERY_RESOURCE_PREFIX = 'aios:webhook-delivery:';

export function deliveryResource(source: string, deliveryId: string): string {
  return `${DELIVERY_RESOURCE_PREFIX}${source}:${deliveryId}`;
}

export function deliveryKey(source: string, deliveryId: string) {
  return { pk: `webhook#${source}#${deliveryId}`, sk: 'delivery' };
}

export class TableDeliveryLedger implements DeliveryLedger {
  constructor(
    private readonly table: Table,
    private readonly leaseMs = CLAIM_LEASE_MS,
  ) {}

  async claim(source: string, deliveryId: string, at: Date): Promise<ClaimResult> {
    const key = deliveryKey(source, deliveryId);
    const claimedAt = at.getTime();
    try {
      await this.table.put(
        { ...key, source, deliveryId, state: 'pending', claimedAt, receivedAt: at.toISOString(), expiresAt: Math.floor(claimedAt / 1000) + RETAIN_SECONDS },
        { itemExists: false },
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    const existing = await this.table.get(key);
    if (!existing) return this.claim(source, deliveryId, at); // released meanwhile
    // Items written before claims had a state were written by attempts that published.
    if (existing.state !== 'pending') return 'done';
    if (claimedAt - Number(existing.claimedAt) < this.leaseMs) return 'pending';
    try {
      // Take over the abandoned claim; of several retries, one wins.
      await this.table.update(
        key,
        { set: { claimedAt } },
        {
          all: [
            { field: 'state', op: 'eq', value: 'pending' },
            { field: 'claimedAt', op: 'eq', value: existing.claimedAt },
          ],
        },
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return 'pending';
    }
  }

  async markDone(source: string, deliveryId: string): Promise<void> {
    await this.table.update(deliveryKey(source, deliveryId), { set: { state: 'done' }, remove: ['claimedAt'] });
  }

  async release(source: string, deliveryId: string): Promise<void> {
    await this.table.delete(deliveryKey(source, deliveryId), { all: [{ field: 'state', op: 'eq', value: 'pending' }] }).catch((error: unknown) => {
      if (!(error instanceof ConditionFailedError)) throw error;
    });
  }
}
