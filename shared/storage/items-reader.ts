/**
 * Several items of one table read by key in one request: DynamoDB's
 * BatchGetItem (consistent reads, as `Table.get`). Kept out of the `Table`
 * port and its DynamoDB adapter so that only a function that reads this way
 * (the agent step: its agent's suspension and its run's token totals before
 * each turn; the tool gate: the suspension and the windows of the limits a
 * call may consult) carries the command; every other bundle is unchanged.
 */
import {
  BatchGetItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { fromAttributeValues, toAttributeValues } from './attribute-values';
import { keyId, sendUntilProcessed } from './batch-retry';
import type { Item, Table, TableKey } from './table';

/** Reads items by key; each result in the place of its key (undefined: no such item). */
export type ItemsReader = (keys: readonly TableKey[]) => Promise<(Item | undefined)[]>;

/**
 * BatchGetItem on `tableName` (at most 100 distinct keys: the step reads two or three, the gate one and its limits'). Keys left unprocessed are asked again.
 *
 * @example const [control, usage] = await dynamoDbItemsReader(client, 'aios-state')([controlKey, usageKey])
 */
export function dynamoDbItemsReader(client: DynamoDBClient, tableName: string): ItemsReader {
  return async (keys) => {
    const found = new Map<string, Item>();
    const first: KeysAndAttributes = { Keys: keys.map((k) => toAttributeValues({ pk: k.pk, sk: k.sk })), ConsistentRead: true };
    await sendUntilProcessed(
      { action: 'BatchGetItem', of: 'keys', tableName },
      first,
      (batch) => batch.Keys?.length ?? 0,
      async (batch) => {
        const out: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: batch } }));
        for (const attributes of out.Responses?.[tableName] ?? []) {
          const item = fromAttributeValues(attributes as Record<string, AttributeValue>) as Item;
          found.set(keyId(item), item);
        }
        return out.UnprocessedKeys?.[tableName];
      },
    );
    return keys.map((k) => found.get(keyId(k)));
  };
}

/** The same reads one `get` each (a table without batch reads: tests' memory table). */
export function itemsReaderOf(table: Table): ItemsReader {
  return (keys) => Promise.all(keys.map((k) => table.get(k)));
}
