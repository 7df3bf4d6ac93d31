/**
 * Several unconditional puts to one table in one request: DynamoDB's
 * BatchWriteItem. Kept out of the `Table` port and its DynamoDB adapter, as
 * the batch read is (items-reader.ts), so that only a function that writes
 * this way (the approval request: a new approval's index entries) carries
 * the command. A batch takes no conditions: only for items whose write needs
 * none.
 */
import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { toAttributeValues } from './attribute-values';
import { keyId, sendUntilProcessed } from './batch-retry';
import type { Item, Table } from './table';

/** Puts every item (unconditionally); resolves when all are written. */
export type ItemsWriter = (items: readonly Item[]) => Promise<void>;

/** DynamoDB takes at most 25 puts a request. */
const BATCH_LIMIT = 25;

/**
 * BatchWriteItem on `tableName`, 25 items a request; items left unprocessed are written again.
 *
 * @example await dynamoDbItemsWriter(client, 'aios-state')([openEntry, runEntry, approverEntry])
 */
export function dynamoDbItemsWriter(client: DynamoDBClient, tableName: string): ItemsWriter {
  return async (items) => {
    // A batch refuses two requests for one key: the last put of a key wins, as it would one put after another.
    const unique = [...new Map(items.map((item) => [keyId(item), item])).values()];
    for (let i = 0; i < unique.length; i += BATCH_LIMIT) {
      const first: WriteRequest[] = unique.slice(i, i + BATCH_LIMIT).map((item) => ({ PutRequest: { Item: toAttributeValues(item) } }));
      await sendUntilProcessed(
        { action: 'BatchWriteItem', of: 'items', tableName },
        first,
        (batch) => batch.length,
        async (batch) => {
          const out: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
          return out.UnprocessedItems?.[tableName];
        },
      );
    }
  };
}

/** The same writes one `put` each (a table without batch writes: tests' memory table, callers without the grant). */
export function itemsWriterOf(table: Table): ItemsWriter {
  return async (items) => {
    await Promise.all(items.map((item) => table.put(item)));
  };
}
