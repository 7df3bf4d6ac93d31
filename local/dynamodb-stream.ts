/**
 * DynamoDB Streams on one machine, for the tables that have one on AWS (the
 * audit table, NEW_AND_OLD_IMAGES): the local DynamoDB front reads the item
 * before a write, lets dynalite do the write, reads it after, and on success
 * hands a stream record (Keys, OldImage, NewImage, SequenceNumber, as Lambda
 * delivers them) to the table's function — the same archiver that runs on
 * AWS. Writes to one item are taken one at a time, so each record's old
 * image is the one its write replaced; writes to different items go at once
 * (DynamoDB Streams order records per item only). The images are read from
 * dynalite in process: they are the runtime's own reads, not a function's.
 * Records wait for the function while it runs and go to it together, up to
 * a batch of 100 (the stack's event source mapping). Delivery is retried a
 * few times in process; a record lost to a crash in between is what
 * `aios audit verify --archive` reports as missing from the archive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../shared/canonical-json';
import type { DynamoDbListener } from './dynamodb-listener';
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
  /** Hands records to the stream's function; throws (or returns failed sequences) to be retried. */
  deliver(records: LocalStreamRecord[]): Promise<string[]>;
  log?: (line: string) => void;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
/** Most records handed to the function at once (the stack's event source mapping batch size). */
const BATCH_SIZE = 100;
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
export function withTableStreams(dynamo: DynamoDbListener, options: TableStreamsOptions): RawListener & { whenDelivered(): Promise<void> } {
  /** The last write queued on each item (`table` and key), which the next write to that item waits for. */
  const tails = new Map<string, Promise<void>>();
  const writing = new Set<Promise<void>>();
  let counter = 0;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Increasing across restarts too: the archive keys objects by it and never replaces one.
  const nextSequence = () => String(BigInt(Date.now()) * 1_000_000n + BigInt(counter++ % 1_000_000));
  const read = async (table: string, key: Image): Promise<Image | undefined> => {
    const answer = await dynamo.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (answer.status !== 200) throw new Error(`reading ${table}: ${String(answer.body.message ?? answer.body.__type)}`);
    return answer.body.Item as Image | undefined;
  };

  const waiting: LocalStreamRecord[] = [];
  let delivering: Promise<void> | undefined;
  const deliverBatch = async (records: LocalStreamRecord[]) => {
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
  };
  /** One delivery at a time, in sequence order; records that arrive meanwhile go in the next batch. */
  const deliver = (records: LocalStreamRecord[]) => {
    waiting.push(...records);
    delivering ??= (async () => {
      while (waiting.length > 0) await deliverBatch(waiting.splice(0, BATCH_SIZE));
      delivering = undefined;
    })();
  };

  const streamed = async (req: IncomingMessage, res: ServerResponse, body: Buffer, items: { table: string; key: Image }[]) => {
    const before = await Promise.all(items.map((i) => read(i.table, i.key).catch(() => undefined)));
    const done = new Promise<void>((resolve) => res.once('close', resolve));
    dynamo.listener(replay(req, body), res);
    await done;
    if (res.statusCode !== 200) return;
    const after = await Promise.all(items.map((i) => read(i.table, i.key).catch(() => undefined)));
    const records: LocalStreamRecord[] = [];
    for (const [index, item] of items.entries()) {
      const old = before[index];
      const now = after[index];
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

  /** Runs `work` once the earlier writes to the same items are done, ahead of later ones. */
  const inItemOrder = (items: { table: string; key: Image }[], work: () => Promise<void>) => {
    const keys = [...new Set(items.map((i) => `${i.table}\u0000${canonicalJson(i.key)}`))];
    const earlier = keys.flatMap((k) => tails.get(k) ?? []);
    const mine: Promise<void> = Promise.all(earlier)
      .then(work)
      .catch((error: unknown) => log(`audit stream: ${(error as Error).message}`))
      .finally(() => {
        writing.delete(mine);
        for (const k of keys) if (tails.get(k) === mine) tails.delete(k);
      });
    writing.add(mine);
    for (const k of keys) tails.set(k, mine);
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
        inItemOrder(items, () => streamed(req, res, body, items));
      });
    },
    whenDelivered: async () => {
      while (writing.size > 0) await Promise.all([...writing]);
      while (delivering) await delivering;
    },
  };
}
