/** dynalite's LevelDB reads answered with getSync: same answers and errors, still on a later turn, anything unusual left to dynalite. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../../shared/aws/clients';
import { installSynchronousReads, readSynchronously, type LevelReads } from '../../../local/dynalite-reads';
import { startDynalite } from '../../support/dynalite';

type Callback = (error: Error | null, value?: unknown) => void;

function fakeDb(values: Record<string, unknown>, status = 'open') {
  const asyncReads: string[] = [];
  const db = {
    status,
    get: (key: string, callback?: Callback) => {
      asyncReads.push(key);
      setImmediate(() => callback?.(null, values[key]));
    },
    getSync: (key: string) => {
      if (key === 'broken') throw Object.assign(new Error('Could not decode value'), { code: 'LEVEL_DECODE_ERROR' });
      if (key === 'closing') throw Object.assign(new Error('Database is not open'), { code: 'LEVEL_DATABASE_NOT_OPEN' });
      return values[key];
    },
  };
  return { db: db as LevelReads & { status: string }, asyncReads };
}

const read = (db: LevelReads, key: string) =>
  new Promise<unknown>((resolve, reject) => {
    let returned = false;
    db.get(key, (error, value) => {
      // Never answered before get returns: dynalite's callers expect LevelDB's later answer.
      if (!returned) reject(new Error('answered synchronously'));
      if (error) reject(error);
      else resolve(value);
    });
    returned = true;
  });

test('reads are answered from getSync on a later turn, with its value, its absence or its error', async () => {
  const { db, asyncReads } = fakeDb({ a: { v: 1 } });
  readSynchronously(db);
  await expect(read(db, 'a')).resolves.toEqual({ v: 1 });
  await expect(read(db, 'missing')).resolves.toBeUndefined();
  await expect(read(db, 'broken')).rejects.toThrow('Could not decode value');
  expect(asyncReads).toEqual([]);
});

test('a database not open, or closed under dynalite, is read the way dynalite reads it, which answers in its own words', async () => {
  const opening = fakeDb({ a: 1 }, 'opening');
  readSynchronously(opening.db);
  await expect(read(opening.db, 'a')).resolves.toBe(1);
  expect(opening.asyncReads).toEqual(['a']);

  const closing = fakeDb({ closing: 2 });
  readSynchronously(closing.db);
  await expect(read(closing.db, 'closing')).resolves.toBe(2);
  expect(closing.asyncReads).toEqual(['closing']);

  let open = true;
  const closed = fakeDb({ a: 3 });
  readSynchronously(closed.db, () => open);
  open = false;
  await read(closed.db, 'a');
  expect(closed.asyncReads).toEqual(['a']);
});

describe('dynalite on LevelDB with synchronous reads installed', () => {
  installSynchronousReads();
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    dynamo = await startDynalite({ path: mkdtempSync(path.join(tmpdir(), 'aios-dynalite-reads-')) });
  });
  afterAll(() => dynamo.close());

  test('items, conditions and queries answer as before', async () => {
    const TableName = (await dynamo.table()).name;
    const client = createAwsClients({ endpoint: dynamo.endpoint, region: 'us-east-1' }, {}).dynamoDb();
    // dynalite's reads reach LevelDB's synchronous lookup (AbstractLevel is the class its Level handle comes from).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AbstractLevel } = require('abstract-level') as { AbstractLevel: { prototype: { getSync(key: string): unknown } } };
    const lookups = jest.spyOn(AbstractLevel.prototype, 'getSync');
    await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'p' }, sk: { S: '1' }, n: { N: '1' } } }));
    await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'p' }, sk: { S: '2' }, n: { N: '2' } } }));
    expect((await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'p' }, sk: { S: '1' } } }))).Item).toEqual({
      pk: { S: 'p' },
      sk: { S: '1' },
      n: { N: '1' },
    });
    expect((await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'p' }, sk: { S: '9' } } }))).Item).toBeUndefined();
    await expect(
      client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'p' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' })),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const queried = await client.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    expect(queried.Items?.map((i) => i.n.N)).toEqual(['1', '2']);
    expect(lookups).toHaveBeenCalled();
    lookups.mockRestore();
  });
});
