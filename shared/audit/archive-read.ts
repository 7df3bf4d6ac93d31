/**
 * Reading the audit archive back, whichever version of the archiver wrote
 * it: batch objects (`audit/batches/<first>-<last>-<sha256>.jsonl`, a write
 * a line) and the objects of the layout before, one write each
 * (`audit/<pk>/<sk>/<sequence>.json`). An archive may hold both: a
 * deployment upgraded in place keeps its earlier objects under lock.
 */
import { AiosError } from '../errors';
import { ARCHIVE_PREFIX, paddedSequence, type ArchivedWrite, type ArchiveStore } from './archive';
import { BATCH_PREFIX, bodyDigest } from './archive-batch';

/** An object under the archive's prefix that is not what an archiver wrote (unknown layout, unreadable, or not matching its key). */
export class InvalidArchiveObjectError extends AiosError {
  constructor(key: string, problem: string) {
    super('Audit.InvalidArchiveObject', `archive object ${key}: ${problem}`, { key });
  }
}

const BATCH_KEY = /^(\d+)-(\d+)-([0-9a-f]{64})\.jsonl$/;
/** `<pk>/<sk>/<sequence>.json`, pk and sk URI-encoded (so without a slash). */
const PER_WRITE_KEY = /^[^/]+\/[^/]+\/\d+\.json$/;
const EVENTS = new Set(['INSERT', 'MODIFY', 'REMOVE']);
/** Objects read at once by `readArchive`. */
const READS_AT_ONCE = 8;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One archived write, checked for the fields the comparison reads. */
function parseWrite(key: string, text: string): ArchivedWrite {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArchiveObjectError(key, 'a write that is not JSON');
  }
  const ok =
    isObject(value) &&
    EVENTS.has(value.event as string) &&
    typeof value.sequence === 'string' &&
    /^\d+$/.test(value.sequence) &&
    typeof value.at === 'string' &&
    isObject(value.keys) &&
    typeof value.keys.pk === 'string' &&
    typeof value.keys.sk === 'string' &&
    (value.newImage === undefined || isObject(value.newImage)) &&
    (value.oldImage === undefined || isObject(value.oldImage));
  if (!ok) throw new InvalidArchiveObjectError(key, 'a write without its event, sequence, time or keys');
  return value as unknown as ArchivedWrite;
}

/**
 * The writes one archive object holds, in the order written. A batch object must match its key (the body's
 * digest, its first and last sequence): the key is what made a redelivered batch count as archived.
 */
export function archivedWritesOf(key: string, body: string): ArchivedWrite[] {
  if (key.startsWith(BATCH_PREFIX)) {
    const named = BATCH_KEY.exec(key.slice(BATCH_PREFIX.length));
    if (!named) throw new InvalidArchiveObjectError(key, 'not a batch key (<first>-<last>-<sha256>.jsonl)');
    if (bodyDigest(body) !== named[3]) throw new InvalidArchiveObjectError(key, 'the body does not match its digest');
    const writes = body
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => parseWrite(key, line));
    if (writes.length === 0 || paddedSequence(writes[0].sequence) !== named[1] || paddedSequence(writes.at(-1)!.sequence) !== named[2])
      throw new InvalidArchiveObjectError(key, 'its first and last writes are not the sequences its key names');
    return writes;
  }
  if (PER_WRITE_KEY.test(key.slice(ARCHIVE_PREFIX.length))) return [parseWrite(key, body)];
  throw new InvalidArchiveObjectError(key, 'a key of no archive layout this version reads');
}

/** Every archived write, object by object in key order (batches in stream order), each object's writes in order. */
export async function readArchive(store: ArchiveStore): Promise<ArchivedWrite[]> {
  const keys = (await store.list(ARCHIVE_PREFIX)).filter((key) => !key.endsWith('/'));
  const perObject: ArchivedWrite[][] = new Array(keys.length);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < keys.length; i = next++) perObject[i] = archivedWritesOf(keys[i], await store.get(keys[i]));
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, keys.length) }, reader));
  return perObject.flat();
}
