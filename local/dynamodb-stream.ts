/**
 * DynamoDB Streams on one machine, for the tables that have one on AWS (the
 * audit table, NEW_AND_OLD_IMAGES): the local DynamoDB front reads the item
 * before a write, lets dynalite do the write, reads it after, and on success
 * hands a stream record (Keys, OldImage, NewImage, SequenceNumber, as Lambda
 * delivers them) to the table's function — the same archiver that runs on
 * AWS. Writes to a streamed table are taken one at a time so each record's
 * old image is the one its write replaced. Delivery is retried a few times
 * in process; a record lost to a crash in between is what
 * `aios audit verify --archive` reports as missing from the archive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../shared/canonical-json';
import { replay } from './iam/enforce-planned-permissions';
import type { RawListener } from './server/local-http-server';

type Image = Record<string, AttributeValue>;

export interface LocalStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSource: 'aws:dynamodb';
  dynamodb: {
    Keys: Image;
    NewImage?: Image;
    OldImage?: Image;
    SequenceNumber: string;
    ApproximateCreationDateTime: number;
    StreamViewType: 'NEW_AND_OLD_IMAGES';
  };
}

export interface TableStreamsOptions {
  /** Names of the tables with a stream. */
  tables: ReadonlySet<string>;
  /** A client reaching this runtime's DynamoDB (signed with a key the permission check leaves alone). */
  client: () => Pick<DynamoDBClient, 'send'>;
  /** Hands records to the stream's function; throws (or returns failed sequences) to be retried. */
  deliver(records: LocalStreamRecord[]): Promise<string[]>;
  log?: (line: string) => void;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const KEY_ATTRIBUTES = ['pk', 'sk'];

/** The items one write request touches on streamed tables: table and key. */
function touched(action: string, body: Record<string, unknown>, tables: ReadonlySet<string>): { table: string; key: Image }[] {
  const keyOf = (item: Image): Image => Object.fromEntries(KEY_ATTRIBUTES.filter((k) => item[k]).map((k) => [k, item[k]]));
  if (action === 'BatchWriteItem') {
    const out: { table: string; key: Image }[] = [];
    for (const [table, requests] of Object.entries(
      (body.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Image }; DeleteRequest?: { Key: Image } }[]>,
    )) {
      if (!tables.has(table)) continue;
      for (const r of requests) out.push({ table, key: keyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {}) });
    }
    return out;
  }
  const table = String(body.TableName ?? '');
  if (!tables.has(table)) return [];
  return [{ table, key: keyOf((action === 'PutItem' ? body.Item : body.Key) as Image) }];
}

/** Wraps the DynamoDB front so that successful writes to streamed tables produce stream records. */
export function withTableStreams(dynamo: RawListener, options: TableStreamsOptions): RawListener & { whenDelivered(): Promise<void> } {
  let writes: Promise<void> = Promise.resolve();
  let deliveries: Promise<void> = Promise.resolve();
  let counter = 0;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Increasing across restarts too: the archive keys objects by it and never replaces one.
  const nextSequence = () => String(BigInt(Date.now()) * 1_000_000n + BigInt(counter++ % 1_000_000));
  const read = async (table: string, key: Image): Promise<Image | undefined> =>
    (await options.client().send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  const deliver = (records: LocalStreamRecord[]) => {
    deliveries = deliveries.then(async () => {
      let pending = records;
      for (let attempt = 1; attempt <= 5 && pending.length > 0; attempt++) {
        try {
          const failed = new Set(await options.deliver(pending));
          const first = pending.findIndex((r) => failed.has(r.dynamodb.SequenceNumber));
          pending = first < 0 ? [] : pending.slice(first);
        } catch (error) {
          if (attempt === 5) log(`audit stream: ${pending.length} record(s) not delivered: ${(error as Error).message}`);
        }
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    });
  };

  const streamed = async (req: IncomingMessage, res: ServerResponse, body: Buffer, items: { table: string; key: Image }[]) => {
    const before = await Promise.all(items.map((i) => read(i.table, i.key).catch(() => undefined)));
    const done = new Promise<void>((resolve) => res.once('close', resolve));
    dynamo.listener(replay(req, body), res);
    await done;
    if (res.statusCode !== 200) return;
    const records: LocalStreamRecord[] = [];
    for (const [index, item] of items.entries()) {
      const old = before[index];
      const now = await read(item.table, item.key).catch(() => undefined);
      if (!old && !now) continue;
      if (old && now && canonicalJson(old) === canonicalJson(now)) continue;
      const sequence = nextSequence();
      records.push({
        eventID: sequence,
        eventName: !old ? 'INSERT' : !now ? 'REMOVE' : 'MODIFY',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          Keys: item.key,
          ...(now ? { NewImage: now } : {}),
          ...(old ? { OldImage: old } : {}),
          SequenceNumber: sequence,
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      });
    }
    if (records.length > 0) deliver(records);
  };

  return {
    claims: dynamo.claims,
    listener: (req, res) => {
      const action = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (!WRITES.has(action)) return dynamo.listener(req, res);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', () => req.destroy());
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        let items: { table: string; key: Image }[] = [];
        try {
          items = touched(action, JSON.parse(body.toString('utf8')) as Record<string, unknown>, options.tables);
        } catch {
          // dynalite answers the malformed request itself
        }
        if (items.length === 0) return dynamo.listener(replay(req, body), res);
        // One write at a time on streamed tables: the image read before is the one this write replaces.
        writes = writes.then(() => streamed(req, res, body, items)).catch((error: unknown) => log(`audit stream: ${(error as Error).message}`));
      });
    },
    whenDelivered: async () => {
      await writes;
      await deliveries;
    },
  };
}
