/**
 * The audit archive: every write to the audit table, as the table's stream
 * gives it (the item before and after), kept in a bucket with Object Lock.
 * The archiver writes each batch the stream delivers as one object
 * (archive-batch.ts); archives written before that hold one object per
 * write (`perWriteKey`), and archive-read.ts reads both. Objects are never
 * replaced, so a record rewritten later is archived again and its original
 * stays; the comparison then finds records missing from the table, records
 * that differ from what was first written, and records the archive never
 * received.
 */
import { canonicalJson } from '../canonical-json';
import { isIndexPk } from './audit-log';

/** Where archived images live in the bucket (also the archiver's only grant). */
export const ARCHIVE_PREFIX = 'audit/';

/** One stream record, its images as plain items (pk, sk and the record's fields). */
export interface ArchivedWrite {
  event: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The stream's sequence number (increasing for one item). */
  sequence: string;
  /** When the write happened (ISO 8601), as the stream says. */
  at: string;
  keys: { pk: string; sk: string };
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

/** The port: a bucket where an object, once written, is never replaced. */
export interface ArchiveStore {
  /** Writes an object unless one exists under the key (`false` then: it was archived before). */
  putNew(key: string, body: string): Promise<boolean>;
  /** Every key under a prefix. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<string>;
}

/** Digits a stream sequence is padded to in keys (DynamoDB Streams sequence numbers have up to 40), so keys sort in write order. */
export const SEQUENCE_WIDTH = 40;

export const paddedSequence = (sequence: string): string => sequence.padStart(SEQUENCE_WIDTH, '0');

/**
 * The key of one write in the layout before batches (still read, no longer
 * written): `audit/<pk>/<sk>/<sequence>.json`, the parts URI-encoded, the
 * sequence zero-padded, the object the write's JSON.
 *
 * @example perWriteKey({ keys: { pk: 'audit#r1', sk: '0000000001' }, sequence: '42' }) // 'audit/audit%23r1/0000000001/000…042.json'
 */
export function perWriteKey(write: Pick<ArchivedWrite, 'keys' | 'sequence'>): string {
  return `${ARCHIVE_PREFIX}${encodeURIComponent(write.keys.pk)}/${encodeURIComponent(write.keys.sk)}/${paddedSequence(write.sequence)}.json`;
}

/** Append-only items: the records of run chains and of the index chain (sk is the sequence). Heads move on every append. */
export function isChainRecord(keys: { pk: string; sk: string }): boolean {
  return (keys.pk.startsWith('audit#') || isIndexPk(keys.pk)) && /^\d+$/.test(keys.sk);
}

export interface ArchiveDifference {
  pk: string;
  sk: string;
  /** What was first written (the archive's original), when the archive has it. */
  original?: Record<string, unknown>;
  /** What the table holds now, when it holds anything. */
  current?: Record<string, unknown>;
}

export interface ArchiveComparison {
  /** Records compared (in the table or in the archive). */
  checked: number;
  /** Archived records the table no longer has (deleted). */
  missingFromTable: ArchiveDifference[];
  /** Records whose table item is not what was first written (overwritten). */
  differs: ArchiveDifference[];
  /** Table records the archive never received (written around the stream, or not delivered yet). */
  missingFromArchive: ArchiveDifference[];
}

/**
 * Compares the table's chain records with the archive: each record as first
 * written (its earliest archived image) against the table's item.
 */
export function compareWithArchive(tableItems: readonly Record<string, unknown>[], writes: readonly ArchivedWrite[]): ArchiveComparison {
  const id = (k: { pk: string; sk: string }) => `${k.pk}\u0000${k.sk}`;
  const originals = new Map<string, ArchivedWrite>();
  // A record archived twice (a batch redelivered in another composition) has the same sequence and images: the first is kept.
  for (const write of [...writes].sort((a, b) => compareSequence(a.sequence, b.sequence))) {
    if (!isChainRecord(write.keys) || originals.has(id(write.keys))) continue;
    // A record's original is the first image the stream saw of it (an INSERT; for a MODIFY, what it replaced).
    const image = write.event === 'INSERT' ? write.newImage : write.oldImage;
    if (image) originals.set(id(write.keys), { ...write, newImage: image });
  }
  const current = new Map<string, Record<string, unknown>>();
  for (const item of tableItems) {
    const keys = { pk: String(item.pk), sk: String(item.sk) };
    if (isChainRecord(keys)) current.set(id(keys), item);
  }
  const out: ArchiveComparison = { checked: new Set([...originals.keys(), ...current.keys()]).size, missingFromTable: [], differs: [], missingFromArchive: [] };
  for (const [key, write] of originals) {
    const item = current.get(key);
    if (!item) out.missingFromTable.push({ ...write.keys, original: write.newImage! });
    else if (canonicalJson(item) !== canonicalJson(write.newImage)) out.differs.push({ ...write.keys, original: write.newImage!, current: item });
  }
  for (const [key, item] of current) if (!originals.has(key)) out.missingFromArchive.push({ pk: String(item.pk), sk: String(item.sk), current: item });
  const order = (a: ArchiveDifference, b: ArchiveDifference) => a.pk.localeCompare(b.pk) || a.sk.localeCompare(b.sk);
  out.missingFromTable.sort(order);
  out.differs.sort(order);
  out.missingFromArchive.sort(order);
  return out;
}

function compareSequence(a: string, b: string): number {
  return paddedSequence(a).localeCompare(paddedSequence(b));
}
