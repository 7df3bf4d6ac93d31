/**
 * The local stream of a table (local/dynamodb-stream.ts) in front of dynalite:
 * every successful write becomes one record whose old image is what the
 * previous write to that item left, also when writes to one item race, when
 * the old image comes from memory, and when writes to other items interleave.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createAwsClients } from '../../shared/aws/clients';
import { ConditionFailedError } from '../../shared/storage/table';
import { DynamoDbTable, ensureTable } from '../../shared/storage/dynamodb-table';
import { openDynamoDbListener, type DynamoDbListener } from '../../local/dynamodb-listener';
import { withTableStreams, type LocalStreamRecord } from '../../local/dynamodb-stream';

let dynamo: DynamoDbListener;
let server: Server;
let stream: ReturnType<typeof withTableStreams>;
let table: DynamoDbTable;
let other: DynamoDbTable;
let client: DynamoDBClient;
const delivered: LocalStreamRecord[] = [];

beforeAll(async () => {
  dynamo = await openDynamoDbListener(mkdtempSync(path.join(tmpdir(), 'aios-stream-')));
  stream = withTableStreams(dynamo, {
    tables: new Set(['streamed']),
    deliver: async (records) => {
      delivered.push(...records);
      return [];
    },
  });
  server = createServer(stream.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = createAwsClients({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, {}).dynamoDb();
  await ensureTable(client, 'streamed');
  await ensureTable(client, 'plain');
  table = new DynamoDbTable(client, 'streamed');
  other = new DynamoDbTable(client, 'plain');
});

afterAll(async () => {
  await stream.whenDelivered();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await dynamo.close();
});

const images = (pk: string) =>
  delivered
    .filter((r) => unmarshall(r.dynamodb.Keys).pk === pk)
    .map((r) => ({
      event: r.eventName,
      old: r.dynamodb.OldImage ? unmarshall(r.dynamodb.OldImage).n : undefined,
      now: r.dynamodb.NewImage ? unmarshall(r.dynamodb.NewImage).n : undefined,
    }));

test('racing writes to one item each replace the image the previous one left', async () => {
  await table.put({ pk: 'race', sk: 'head', n: 0 });
  await Promise.all(Array.from({ length: 8 }, () => table.update({ pk: 'race', sk: 'head' }, { add: { n: 1 } })));
  await table.delete({ pk: 'race', sk: 'head' });
  await stream.whenDelivered();
  const seen = images('race');
  expect(seen[0]).toEqual({ event: 'INSERT', old: undefined, now: 0 });
  expect(seen.slice(1, 9)).toEqual(Array.from({ length: 8 }, (_, i) => ({ event: 'MODIFY', old: i, now: i + 1 })));
  expect(seen[9]).toEqual({ event: 'REMOVE', old: 8, now: undefined });
  const sequences = delivered.map((r) => BigInt(r.dynamodb.SequenceNumber));
  expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
});

test('a write refused by its condition leaves no record and the item as it was', async () => {
  await table.put({ pk: 'once', sk: 'r', n: 1 }, { itemExists: false });
  await expect(table.put({ pk: 'once', sk: 'r', n: 2 }, { itemExists: false })).rejects.toBeInstanceOf(ConditionFailedError);
  await table.put({ pk: 'once', sk: 'r', n: 3 });
  await stream.whenDelivered();
  expect(images('once')).toEqual([
    { event: 'INSERT', old: undefined, now: 1 },
    { event: 'MODIFY', old: 1, now: 3 },
  ]);
});

test('writes to other items and to unstreamed tables interleave without records of their own crossing', async () => {
  await Promise.all(
    Array.from({ length: 5 }, async (_, i) => {
      await table.put({ pk: `item-${i}`, sk: 's', n: i });
      await other.put({ pk: `item-${i}`, sk: 's', n: i });
      await table.put({ pk: `item-${i}`, sk: 's', n: i + 10 });
    }),
  );
  await stream.whenDelivered();
  for (let i = 0; i < 5; i++) {
    expect(images(`item-${i}`)).toEqual([
      { event: 'INSERT', old: undefined, now: i },
      { event: 'MODIFY', old: i, now: i + 10 },
    ]);
  }
  expect(delivered.filter((r) => String(unmarshall(r.dynamodb.Keys).pk).startsWith('item-'))).toHaveLength(10);
});

test('a put’s new image is the item as stored: numbers sent in another form are read back in the form DynamoDB keeps', async () => {
  const stored = { pk: { S: 'numbers' }, sk: { S: 'plain' }, n: { N: '12.5' }, m: { M: { l: { L: [{ N: '-0.25' }, { S: 'x' }] } } } };
  const rewritten = { pk: { S: 'numbers' }, sk: { S: 'rewritten' }, n: { N: '1.250E1' }, m: { M: { l: { L: [{ N: '-000.250' }, { S: 'x' }] } } } };
  await client.send(new PutItemCommand({ TableName: 'streamed', Item: stored }));
  await client.send(new PutItemCommand({ TableName: 'streamed', Item: rewritten }));
  await stream.whenDelivered();
  const newImage = (sk: string) =>
    delivered.find((r) => unmarshall(r.dynamodb.Keys).sk === sk && unmarshall(r.dynamodb.Keys).pk === 'numbers')?.dynamodb.NewImage;
  for (const sk of ['plain', 'rewritten']) {
    const item = (await client.send(new GetItemCommand({ TableName: 'streamed', Key: { pk: { S: 'numbers' }, sk: { S: sk } } }))).Item;
    expect(newImage(sk)).toEqual(item);
  }
  expect(newImage('rewritten')).toMatchObject({ n: { N: '12.5' }, m: { M: { l: { L: [{ N: '-0.25' }, { S: 'x' }] } } } });
});

test('a put that leaves the item as it was, its members in another order, makes no record; a change deep inside it does', async () => {
  const pk = { S: 'unchanged' };
  const sk = { S: 'one' };
  await client.send(new PutItemCommand({ TableName: 'streamed', Item: { pk, sk, a: { S: 'x' }, m: { M: { p: { N: '1' }, q: { L: [{ S: 'y' }] } } } } }));
  await client.send(new PutItemCommand({ TableName: 'streamed', Item: { m: { M: { q: { L: [{ S: 'y' }] }, p: { N: '1' } } }, a: { S: 'x' }, sk, pk } }));
  await client.send(new PutItemCommand({ TableName: 'streamed', Item: { pk, sk, a: { S: 'x' }, m: { M: { p: { N: '1' }, q: { L: [{ S: 'z' }] } } } } }));
  await stream.whenDelivered();
  const records = delivered.filter((r) => unmarshall(r.dynamodb.Keys).pk === 'unchanged');
  expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
  expect(unmarshall(records[1].dynamodb.NewImage!).m).toEqual({ p: 1, q: ['z'] });
});

test('records wait for the batching window and reach the function together; whenDelivered hands them over at once', async () => {
  const batches: LocalStreamRecord[][] = [];
  const windowed = withTableStreams(dynamo, {
    tables: new Set(['streamed']),
    // Longer than the test: only whenDelivered can end the wait.
    batchWindowMs: 600_000,
    deliver: async (records) => {
      batches.push(records);
      return [];
    },
  });
  const front = createServer(windowed.listener);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  try {
    const client = createAwsClients({ endpoint: `http://127.0.0.1:${(front.address() as AddressInfo).port}` }, {}).dynamoDb();
    const streamed = new DynamoDbTable(client, 'streamed');
    for (let i = 0; i < 5; i++) await streamed.put({ pk: 'windowed', sk: `s${i}`, n: i });
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toEqual([]);
    await windowed.whenDelivered();
    expect(batches.map((b) => b.map((r) => unmarshall(r.dynamodb.NewImage!).n))).toEqual([[0, 1, 2, 3, 4]]);
  } finally {
    await new Promise<void>((resolve) => front.close(() => resolve()));
  }
});
