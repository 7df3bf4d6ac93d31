import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbItemsWriter, itemsWriterOf } from '../../shared/storage/items-writer';
import { queryAll } from '../../shared/storage/table';
import { onMemoryAndDynalite, startDynalite, type DynaliteHandle } from '../support/dynalite';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite.close());

describe.each(
  onMemoryAndDynalite(() => dynalite, ['a memory table, one put each', 'dynalite, BatchWriteItem'], { memory: itemsWriterOf, dynamodb: dynamoDbItemsWriter }),
)('writing items on %s', (_name, open) => {
  it('puts every item whole, replacing what had its key', async () => {
    const [table, write] = await open();
    await table.put({ pk: 'a', sk: '1', old: true });
    await write([
      { pk: 'a', sk: '1', n: 1, nested: { list: [1, 'x'] } },
      { pk: 'b', sk: '2', n: 2 },
    ]);
    expect(await table.get({ pk: 'a', sk: '1' })).toStrictEqual({ pk: 'a', sk: '1', n: 1, nested: { list: [1, 'x'] } });
    expect(await table.get({ pk: 'b', sk: '2' })).toStrictEqual({ pk: 'b', sk: '2', n: 2 });
  });

  it('writes more items than one request takes, and nothing for none', async () => {
    const [table, write] = await open();
    await write([]);
    await write(Array.from({ length: 60 }, (_, i) => ({ pk: 'many', sk: String(i).padStart(2, '0') })));
    expect(await queryAll(table, 'many')).toHaveLength(60);
  });
});

it('writes one key given twice once, the last item given (a batch refuses a key twice)', async () => {
  const table = await dynalite.table();
  await dynamoDbItemsWriter(
    dynalite.client,
    table.name,
  )([
    { pk: 'a', sk: '1', n: 1 },
    { pk: 'a', sk: '1', n: 2 },
  ]);
  expect(await table.get({ pk: 'a', sk: '1' })).toStrictEqual({ pk: 'a', sk: '1', n: 2 });
});

it('writes again the items DynamoDB left unprocessed', async () => {
  const table = await dynalite.table();
  // The first answer leaves the second item unprocessed, as DynamoDB does when it throttles part of a batch.
  let calls = 0;
  const throttling = {
    send: async (command: Parameters<DynamoDBClient['send']>[0]) => {
      const input = (command as unknown as { input: { RequestItems: Record<string, unknown[]> } }).input;
      if (calls++ > 0) return dynalite.client.send(command as never);
      const [first, ...left] = input.RequestItems[table.name];
      await dynalite.client.send(new (command.constructor as new (input: unknown) => typeof command)({ RequestItems: { [table.name]: [first] } }) as never);
      return { UnprocessedItems: { [table.name]: left } };
    },
  } as unknown as DynamoDBClient;
  await dynamoDbItemsWriter(
    throttling,
    table.name,
  )([
    { pk: 'a', sk: '1' },
    { pk: 'b', sk: '2' },
  ]);
  expect(calls).toBe(2);
  expect(await table.get({ pk: 'b', sk: '2' })).toStrictEqual({ pk: 'b', sk: '2' });
});
