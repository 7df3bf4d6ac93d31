/**
 * What DynamoDB's batch requests (BatchGetItem, BatchWriteItem) share: a batch may come back with part of it
 * unprocessed (throttled), to be sent again after a short, growing, random pause; and an item's identity within
 * one batch, which takes each key once.
 */
import { AiosError } from '../errors';
import type { TableKey } from './table';

/** Attempts before a batch DynamoDB keeps leaving partly unprocessed fails. */
const MAX_ATTEMPTS = 8;

/** An item's key as one string: pk and sk with U+0000 between them. */
export const keyId = (key: TableKey) => `${key.pk}\u0000${key.sk}`;

/**
 * Sends `first`, then what each answer left unprocessed, until nothing is left.
 *
 * @param what the batch's action and what it carries, for the error (`BatchGetItem … keys`)
 * @param size how many requests a pending batch holds (0: done)
 * @param send sends a batch and gives back what DynamoDB left unprocessed
 * @throws AiosError `Storage.Unprocessed` after 8 attempts that each left some unprocessed
 */
export async function sendUntilProcessed<B>(
  what: { action: string; of: string; tableName: string },
  first: B,
  size: (batch: B) => number,
  send: (batch: B) => Promise<B | undefined>,
): Promise<void> {
  let pending: B | undefined = first;
  for (let attempt = 0; pending !== undefined && size(pending) > 0; attempt++) {
    if (attempt === MAX_ATTEMPTS)
      throw new AiosError('Storage.Unprocessed', `${what.action} on ${what.tableName}: ${what.of} still unprocessed after ${MAX_ATTEMPTS} attempts`, {
        table: what.tableName,
      });
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    pending = await send(pending);
  }
}
