/**
 * Webhook dedupe on the `Table` port (the `state` table): one item per
 * (source, delivery id), written with `itemExists: false` so exactly one
 * delivery wins. `expiresAt` (epoch seconds) lets DynamoDB TTL drop old ids.
 */
import { ConditionFailedError, type Table } from '../storage/table';
import type { DeliveryLedger } from './ports';

/** Vendors retry for up to three days (Stripe); keep ids a while longer. */
const RETAIN_SECONDS = 30 * 24 * 3600;

export function deliveryKey(source: string, deliveryId: string) {
  return { pk: `webhook#${source}#${deliveryId}`, sk: 'delivery' };
}

export class TableDeliveryLedger implements DeliveryLedger {
  constructor(private readonly table: Table) {}

  async claim(source: string, deliveryId: string, at: Date): Promise<boolean> {
    try {
      await this.table.put(
        { ...deliveryKey(source, deliveryId), source, deliveryId, receivedAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + RETAIN_SECONDS },
        { itemExists: false },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  async release(source: string, deliveryId: string): Promise<void> {
    await this.table.delete(deliveryKey(source, deliveryId));
  }
}
