/**
 * How the archiver writes: each batch the audit table's stream delivers is
 * one object (several past MAX_OBJECT_BYTES), its writes in stream order,
 * one ArchivedWrite JSON a line. One PutObject per delivery instead of one
 * per write: a dispute run's 18 audit writes reach the archiver in 2–4
 * deliveries on one machine.
 *
 * The key is the object's content: `audit/batches/<first sequence>-<last
 * sequence>-<sha256 of the body>.jsonl`. The stream redelivers a batch after
 * a failure, or after a put that succeeded but was reported failed (a
 * timeout), and Lambda may compose it differently (split in half on error,
 * resumed from a reported failure). A put refused because the key exists
 * (If-None-Match) therefore means these very writes are archived, never that
 * another composition took the name; a differently composed retry gets its
 * own object, and a write archived in two objects is the same write twice,
 * which the comparison reads once.
 */
import { createHash } from 'node:crypto';
import { ARCHIVE_PREFIX, paddedSequence, type ArchivedWrite, type ArchiveStore } from './archive';

/** Where batch objects live; objects of the layout before (one per write) are `audit/<pk>/<sk>/<sequence>.json`. */
export const BATCH_PREFIX = `${ARCHIVE_PREFIX}batches/`;

/**
 * Most bytes of one object before a delivery is split. A delivery is at most 100 records and 6 MB (Lambda's
 * payload limit), an audit record about a kilobyte, so a delivery is one object in practice; the limit keeps
 * a delivery of large items (up to 400 KB each, twice for a rewrite's old and new image) from becoming one
 * body that a failed put sends again whole and that `aios audit verify --archive` holds whole while it reads
 * several objects at once. A single write larger than the limit is an object of its own.
 */
export const MAX_OBJECT_BYTES = 1024 * 1024;

/** One object the archiver writes: its writes, its body, its key. */
export interface BatchObject {
  key: string;
  body: string;
  writes: readonly ArchivedWrite[];
}

/** The digest a batch object's key names (archive-read.ts checks the body against it). */
export const bodyDigest = (body: string): string => createHash('sha256').update(body).digest('hex');

/** The key of a batch object: named by its first and last sequence (so keys sort in stream order) and its body's digest. */
export function batchKey(first: string, last: string, body: string): string {
  return `${BATCH_PREFIX}${paddedSequence(first)}-${paddedSequence(last)}-${bodyDigest(body)}.jsonl`;
}

/** The objects a delivery is written as, in stream order: consecutive writes, each object's body at most `maxBytes` unless it holds one write. */
export function batchObjects(writes: readonly ArchivedWrite[], maxBytes = MAX_OBJECT_BYTES): BatchObject[] {
  const groups: { lines: string[]; writes: ArchivedWrite[]; bytes: number }[] = [];
  for (const write of writes) {
    const line = `${JSON.stringify(write)}\n`;
    const bytes = Buffer.byteLength(line);
    const open = groups.at(-1);
    if (open && open.bytes + bytes <= maxBytes) {
      open.lines.push(line);
      open.writes.push(write);
      open.bytes += bytes;
    } else groups.push({ lines: [line], writes: [write], bytes });
  }
  return groups.map(({ lines, writes: ofObject }) => {
    const body = lines.join('');
    return { key: batchKey(ofObject[0].sequence, ofObject.at(-1)!.sequence, body), body, writes: ofObject };
  });
}

/**
 * Archives a delivery; returns how many objects it wrote, how many it found written already (a
 * redelivery), and the sequences the stream must deliver again: after a failed put, every write of
 * that object and of the objects after it (they are not tried; the stream resumes from the first).
 */
export async function archiveBatch(
  writes: readonly ArchivedWrite[],
  store: ArchiveStore,
  maxBytes = MAX_OBJECT_BYTES,
): Promise<{ written: number; existed: number; failed: string[] }> {
  const objects = batchObjects(writes, maxBytes);
  let written = 0;
  let existed = 0;
  for (const [i, object] of objects.entries()) {
    try {
      if (await store.putNew(object.key, object.body)) written++;
      else existed++;
    } catch {
      return { written, existed, failed: objects.slice(i).flatMap((o) => o.writes.map((w) => w.sequence)) };
    }
  }
  return { written, existed, failed: [] };
}
