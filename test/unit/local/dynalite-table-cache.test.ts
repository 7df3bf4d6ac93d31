/** dynalite's table descriptions kept beside LevelDB: read once, dropped by every write, never kept from a read that overlapped a write. */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../../shared/aws/clients';
import { cacheTableDescriptions, copyOfJson, installTableDescriptionCache, type TableDescriptionDb } from '../../../local/dynalite-table-cache';
import { startDynalite } from '../../support/dynalite';

type Callback = (error: Error | null | undefined, value?: unknown) => void;

/** A sub-database whose operations answer only when the test releases them, counting the reads that reach it. */
function heldDb() {
  const data = new Map<string, string>();
  const held: (() => void)[] = [];
  const db = {
    reads: 0,
    release: () => held.splice(0).forEach((answer) => answer()),
    get(key: string, callback: Callback) {
      db.reads++;
      const text = data.get(key);
      held.push(() => callback(null, text === undefined ? undefined : JSON.parse(text)));
    },
    put(key: string, value: unknown, callback?: Callback) {
      held.push(() => {
        data.set(key, JSON.stringify(value));
        callback?.(null);
      });
    },
    del(key: string, callback?: Callback) {
      held.push(() => {
        data.delete(key);
        callback?.(null);
      });
    },
  };
  return db;
}

const read = (db: TableDescriptionDb, key: string, release?: () => void) =>
  new Promise<unknown>((resolve, reject) => {
    db.get(key, (error, value) => (error ? reject(error) : resolve(value)));
    release?.();
  });
const write = (db: TableDescriptionDb, key: string, value: unknown) => new Promise<void>((resolve) => db.put(key, value, () => resolve()));

test('a description is read from the database once, and each read gets its own copy', async () => {
  const db = heldDb();
  cacheTableDescriptions(db);
  const put = write(db, 't', { TableStatus: 'ACTIVE', KeySchema: ['pk'] });
  db.release();
  await put;
  const first = (await read(db, 't', db.release)) as { TableStatus: string; KeySchema: string[] };
  first.TableStatus = 'DELETING';
  first.KeySchema.push('sk');
  const second = (await read(db, 't')) as { TableStatus: string; KeySchema: string[] };
  expect(second).toEqual({ TableStatus: 'ACTIVE', KeySchema: ['pk'] });
  // Copies share nothing, however deep.
  second.KeySchema.push('other');
  expect(await read(db, 't')).toEqual({ TableStatus: 'ACTIVE', KeySchema: ['pk'] });
  expect(db.reads).toBe(1);
});

test('a copy is what a decode of the JSON gives, an own __proto__ member included', () => {
  const text = '{"a":[1,{"b":null,"c":"x"}],"__proto__":{"polluted":true},"d":false,"e":-1.5}';
  const copy = copyOfJson(JSON.parse(text) as unknown);
  expect(JSON.stringify(copy)).toBe(text);
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  expect(copy).toStrictEqual(JSON.parse(text));
});

test('a write drops the kept description; a read that overlapped a write is not kept', async () => {
  const db = heldDb();
  cacheTableDescriptions(db);
  const created = write(db, 't', { TableStatus: 'ACTIVE', v: 1 });
  db.release();
  await created;
  await read(db, 't', db.release);
  // A read started, then an update begins before the read's answer: the answer (old or new) must not be kept.
  const overlapping = read(db, 't');
  const updated = write(db, 't', { TableStatus: 'ACTIVE', v: 2 });
  expect((await read(db, 't', db.release)) as { v: number }).toMatchObject({ v: 1 });
  await Promise.all([overlapping, updated]);
  const before = db.reads;
  expect(await read(db, 't', db.release)).toMatchObject({ v: 2 });
  expect(await read(db, 't')).toMatchObject({ v: 2 });
  expect(db.reads).toBe(before + 1);
  const deleted = new Promise<void>((resolve) => db.del('t', () => resolve()));
  db.release();
  await deleted;
  expect(await read(db, 't', db.release)).toBeUndefined();
});

test('a closed database answers reads itself, kept descriptions or not', async () => {
  const db = heldDb();
  let open = true;
  cacheTableDescriptions(db, () => open);
  const put = write(db, 't', { TableStatus: 'ACTIVE' });
  db.release();
  await put;
  await read(db, 't', db.release);
  open = false;
  const reads = db.reads;
  await read(db, 't', db.release);
  expect(db.reads).toBe(reads + 1);
});

describe('dynalite with the cache installed', () => {
  installTableDescriptionCache();
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(() => dynamo.close());

  test('UpdateTable, DeleteTable and a new table of the same name are seen by the next request', async () => {
    const client = createAwsClients({ endpoint: dynamo.endpoint, region: 'us-east-1' }, {}).dynamoDb();
    const table = await dynamo.table('cached');
    await table.put({ pk: 'a', sk: 'b', v: 1 });
    expect(await table.get({ pk: 'a', sk: 'b' })).toMatchObject({ v: 1 });

    await client.send(
      new UpdateTableCommand({ TableName: 'cached', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }),
    );
    const described = await client.send(new DescribeTableCommand({ TableName: 'cached' }));
    expect(described.Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });

    await client.send(new DeleteTableCommand({ TableName: 'cached' }));
    for (let i = 0; i < 100 && (await client.send(new DescribeTableCommand({ TableName: 'cached' })).catch(() => undefined)); i++)
      await new Promise((r) => setTimeout(r, 10));
    await expect(client.send(new GetItemCommand({ TableName: 'cached', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    // Same name, another key schema: items are checked against the new one.
    await client.send(
      new CreateTableCommand({
        TableName: 'cached',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    for (let i = 0; i < 100; i++) {
      if ((await client.send(new DescribeTableCommand({ TableName: 'cached' }))).Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.send(new PutItemCommand({ TableName: 'cached', Item: { id: { S: 'x' } } }));
    await expect(client.send(new PutItemCommand({ TableName: 'cached', Item: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
