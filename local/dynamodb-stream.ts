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
 * Records wait for the function while it runs, and otherwise for a short
 * window (as the mapping polls the stream on AWS), and go to it together, up
 * to a batch of 100 (the stack's event source mapping). Delivery is retried a
 * few times in process; a record lost to a crash in between is what
 * `aios audit verify --archive` reports as missing from the archive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../shared/canonical-json';
import type { DynamoDbListener } from './dynamodb-listener';
import type { RawListener } from './server/local-http-server';
import { readBody } from './server/replayed-request';
import { readWholeBody } from './server/whole-body';

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
  /** How long the first waiting record waits for others to go with it (default BATCH_WINDOW_MS). */
  batchWindowMs?: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
/** Most records handed to the function at once (the stack's event source mapping batch size). */
const BATCH_SIZE = 100;
/**
 * How long records wait for more before going to the function. Without it every write of a run went to the
 * archiver in an invocation of its own (19 a dispute run, each between two steps of the run); on AWS the
 * mapping polls the stream a few times a second, so records reach the function this late there too. A record
 * waiting here is lost to a crash as one being delivered is (`--archive` reports it).
 */
const BATCH_WINDOW_MS = 100;
/** Most item images remembered: the image each write left is the old image of the next write to that item. */
const REMEMBERED_IMAGES = 5_000;
const KEY_ATTRIBUTES = ['pk', 'sk'];

/** An item one write request touches on a streamed table. */
interface TouchedItem {
  table: string;
  key: Image;
  /** Table and key as one string. */
  id: string;
  /** The write succeeds only where the item does not exist (`attribute_not_exists` of a key attribute): no old image. */
  absentBefore: boolean;
  /** What a successful write leaves, known from the request (a put's item, null for a delete); undefined: read it. */
  leaves?: Image | null;
}

/** A number as DynamoDB stores it (no exponent, no leading or trailing zeros, no "-0"): what dynalite keeps of it unchanged. */
const STORED_NUMBER = /^(?:0|-?[1-9]\d*(?:\.\d*[1-9])?|-?0\.\d*[1-9])$/;

/**
 * Whether a put's item is stored exactly as sent: dynalite rewrites numbers into their stored form and
 * may re-encode binary, so an item with a number in another form, or binary, is read back instead.
 */
function storedAsSent(value: AttributeValue): boolean {
  if (value.N !== undefined) return STORED_NUMBER.test(value.N);
  if (value.NS !== undefined) return value.NS.every((n) => STORED_NUMBER.test(n));
  if (value.B !== undefined || value.BS !== undefined) return false;
  if (value.M !== undefined) return Object.values(value.M).every(storedAsSent);
  if (value.L !== undefined) return value.L.every(storedAsSent);
  return true;
}

const putLeaves = (item: Image): Image | undefined => (Object.values(item).every(storedAsSent) ? item : undefined);

/** Whether the request's condition is exactly "no item with this key". */
function requiresAbsence(body: Record<string, unknown>): boolean {
  const match = /^\s*attribute_not_exists\s*\(\s*([#\w]+)\s*\)\s*$/.exec(String(body.ConditionExpression ?? ''));
  if (!match) return false;
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  return KEY_ATTRIBUTES.includes(match[1].startsWith('#') ? names[match[1]] : match[1]);
}

/** The items one write request touches on streamed tables. */
function touched(action: string, body: Record<string, unknown>, tables: ReadonlySet<string>): TouchedItem[] {
  const keyOf = (item: Image): Image => Object.fromEntries(KEY_ATTRIBUTES.filter((k) => item[k]).map((k) => [k, item[k]]));
  const itemOf = (table: string, key: Image, absentBefore: boolean, leaves: Image | null | undefined): TouchedItem => ({
    table,
    key,
    id: `${table}\u0000${canonicalJson(key)}`,
    absentBefore,
    ...(leaves !== undefined ? { leaves } : {}),
  });
  if (action === 'BatchWriteItem') {
    const out: TouchedItem[] = [];
    for (const [table, requests] of Object.entries(
      (body.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Image }; DeleteRequest?: { Key: Image } }[]>,
    )) {
      if (!tables.has(table)) continue;
      // Read back: a batch may leave some of its writes unprocessed.
      for (const r of requests) out.push(itemOf(table, keyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {}), false, undefined));
    }
    return out;
  }
  const table = String(body.TableName ?? '');
  if (!tables.has(table)) return [];
  const leaves = action === 'PutItem' ? putLeaves(body.Item as Image) : action === 'DeleteItem' ? null : undefined;
  return [itemOf(table, keyOf((action === 'PutItem' ? body.Item : body.Key) as Image), requiresAbsence(body), leaves)];
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
  const read = async ({ table, key }: TouchedItem): Promise<Image | undefined> => {
    const answer = await dynamo.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (answer.status !== 200) throw new Error(`reading ${table}: ${String(answer.body.message ?? answer.body.__type)}`);
    return answer.body.Item as Image | undefined;
  };
  // Every write to a streamed table passes here, one at a time per item: what the last one left is the item now.
  // null: known absent. Forgotten when a write's outcome is unknown; a new process starts with none.
  const images = new Map<string, Image | null>();
  const remember = (id: string, image: Image | undefined) => {
    images.delete(id);
    images.set(id, image ?? null);
    if (images.size > REMEMBERED_IMAGES) images.delete(images.keys().next().value!);
  };
  const imageBefore = (item: TouchedItem): Promise<Image | undefined> | Image | undefined => {
    if (item.absentBefore) return undefined;
    const known = images.get(item.id);
    if (known !== undefined) return known ?? undefined;
    return read(item).catch(() => undefined);
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
  const windowMs = options.batchWindowMs ?? BATCH_WINDOW_MS;
  let window: NodeJS.Timeout | undefined;
  /** One delivery at a time, in sequence order; records that arrive meanwhile go in the next batch. */
  const start = () => {
    clearTimeout(window);
    window = undefined;
    delivering ??= (async () => {
      while (waiting.length > 0) await deliverBatch(waiting.splice(0, BATCH_SIZE));
      delivering = undefined;
    })();
  };
  const deliver = (records: LocalStreamRecord[]) => {
    waiting.push(...records);
    // A delivery under way takes these next; otherwise they wait for the window, or go once a batch is full.
    if (delivering) return;
    if (waiting.length >= BATCH_SIZE) start();
    else window ??= setTimeout(start, windowMs);
  };

  const streamed = async (req: IncomingMessage, res: ServerResponse, body: Buffer, items: TouchedItem[]) => {
    const before = await Promise.all(items.map(imageBefore));
    const done = new Promise<void>((resolve) => res.once('close', resolve));
    dynamo.serveBody(req, res, body);
    await done;
    if (res.statusCode !== 200) {
      // A refused write (a failed condition) changed nothing; after any other failure the item is unknown.
      if (res.statusCode !== 400) for (const item of items) images.delete(item.id);
      return;
    }
    // A response cut short (the caller went away) may come before dynalite's write lands: read, but remember nothing.
    // Once dynalite has answered, a put left its item and a delete nothing: no need to read what the request says.
    const settled = res.writableFinished;
    const after = await Promise.all(
      items.map((i) =>
        (settled && i.leaves !== undefined ? Promise.resolve(i.leaves ?? undefined) : read(i)).then(
          (image) => (settled ? remember(i.id, image) : images.delete(i.id), image),
          () => (images.delete(i.id), undefined),
        ),
      ),
    );
    const records: LocalStreamRecord[] = [];
    for (const [index, item] of items.entries()) {
      const old = before[index];
      const now = after[index];
      if (!old && !now) continue;
      // Images are JSON data (parsed requests and answers): deep equality is equality of their canonical JSON, without writing it.
      if (old && now && isDeepStrictEqual(old, now)) continue;
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
  const inItemOrder = (items: TouchedItem[], work: () => Promise<void>) => {
    const keys = [...new Set(items.map((i) => i.id))];
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
      const write = (body: Buffer, json: Record<string, unknown> | undefined) => {
        let items: TouchedItem[] = [];
        try {
          items = touched(action, json ?? (JSON.parse(body.toString('utf8')) as Record<string, unknown>), options.tables);
        } catch {
          // dynalite answers the malformed request itself
        }
        if (items.length === 0) return dynamo.serveBody(req, res, body);
        inItemOrder(items, () => streamed(req, res, body, items));
      };
      // The permission check in front has usually read (and parsed) the body already.
      const known = readBody(req);
      if (known) return write(known.body, known.json);
      readWholeBody(req, (error, body) => (error ? req.destroy() : write(body, undefined)));
    },
    /** Waits for the writes under way, then hands every waiting record to the function without waiting for the window. */
    whenDelivered: async () => {
      for (;;) {
        if (writing.size > 0) await Promise.all([...writing]);
        else if (window || (waiting.length > 0 && !delivering)) start();
        else if (delivering) await delivering;
        else return;
      }
    },
  };
}
