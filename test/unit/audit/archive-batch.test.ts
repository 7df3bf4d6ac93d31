/**
 * The archiver writes each delivered batch as one object (split past a size),
 * keyed by its first and last sequence and its body's digest, so that a
 * redelivery of the same writes adds nothing, a redelivery composed otherwise
 * is never skipped, and a failed put has the stream deliver its writes again.
 * Reading takes batch objects and the one-object-per-write layout before
 * them, and refuses an object that does not match its key.
 */
import { createHash } from 'node:crypto';
import { compareWithArchive, perWriteKey, type ArchivedWrite } from '../../../shared/audit/archive';
import { archiveBatch, batchKey, batchObjects, BATCH_PREFIX } from '../../../shared/audit/archive-batch';
import { archivedWritesOf, readArchive } from '../../../shared/audit/archive-read';
import { MemoryArchive } from './memory-archive';

const item = (seq: number, extra: Record<string, unknown> = {}) => ({
  pk: 'audit#r',
  sk: String(seq).padStart(10, '0'),
  runId: 'r',
  seq,
  kind: 'tool.ran',
  data: { n: seq },
  hash: `h${seq}`,
  ...extra,
});
/** The stream's records of appending records 1..n: each record item, then the head move. */
function appends(n: number, firstSequence = 100): ArchivedWrite[] {
  return Array.from({ length: n }, (_, i) => [
    {
      event: 'INSERT' as const,
      sequence: String(firstSequence + 2 * i),
      at: '2026-12-07T06:00:00.000Z',
      keys: { pk: 'audit#r', sk: item(i + 1).sk },
      newImage: item(i + 1),
    },
    {
      event: 'MODIFY' as const,
      sequence: String(firstSequence + 2 * i + 1),
      at: '2026-12-07T06:00:00.000Z',
      keys: { pk: 'audit#r', sk: 'head' },
      oldImage: { pk: 'audit#r', sk: 'head', seq: i },
      newImage: { pk: 'audit#r', sk: 'head', seq: i + 1 },
    },
  ]).flat();
}
const sequences = (writes: readonly ArchivedWrite[]) => writes.map((w) => w.sequence);
const table = (n: number) => [...Array.from({ length: n }, (_, i) => item(i + 1)), { pk: 'audit#r', sk: 'head', seq: n }];
const clean = { missingFromTable: [], differs: [], missingFromArchive: [] };

test('a delivery is one object: its writes in order, a JSON line each, named by first and last sequence and digest', async () => {
  const writes = appends(3);
  const store = new MemoryArchive();
  expect(await archiveBatch(writes, store)).toEqual({ written: 1, existed: 0, failed: [] });
  const [[key, body]] = [...store.objects];
  const digest = createHash('sha256').update(body).digest('hex');
  expect(key).toBe(`audit/batches/${'100'.padStart(40, '0')}-${'105'.padStart(40, '0')}-${digest}.jsonl`);
  expect(body).toBe(writes.map((w) => `${JSON.stringify(w)}\n`).join(''));
  expect(await readArchive(store)).toEqual(writes);
  // Keys sort in stream order, also when a sequence gains a digit.
  expect(batchKey('99', '99', 'x') < batchKey('100', '100', 'x')).toBe(true);
  expect(await archiveBatch([], store)).toEqual({ written: 0, existed: 0, failed: [] });
});

test('a delivery past the size limit is split into consecutive objects, none over it unless one write is', async () => {
  const writes = appends(10);
  const lineBytes = writes.map((w) => Buffer.byteLength(JSON.stringify(w)) + 1);
  const limit = Math.max(...lineBytes) * 3;
  const objects = batchObjects(writes, limit);
  expect(objects.length).toBeGreaterThan(2);
  expect(objects.flatMap((o) => o.writes)).toEqual(writes);
  for (const o of objects) expect(Buffer.byteLength(o.body)).toBeLessThanOrEqual(limit);
  expect(objects.map((o) => o.key)).toEqual(objects.map((o) => o.key).sort());
  // A write larger than the limit goes alone, whole.
  const big = { ...writes[0], newImage: item(1, { data: { text: 'x'.repeat(limit) } }) };
  expect(batchObjects([writes[1], big, writes[3]], limit).map((o) => sequences(o.writes))).toEqual([['101'], ['100'], ['103']]);
  expect(batchObjects(writes).length).toBe(1);
});

test('the same delivery again adds nothing; differently composed, it gets objects of its own and every write still compares once', async () => {
  const writes = appends(4);
  const store = new MemoryArchive();
  // The put succeeded but its answer was lost: the stream delivers the batch again, whole…
  store.writtenButFailing.add(0);
  expect(await archiveBatch(writes, store)).toEqual({ written: 0, existed: 0, failed: sequences(writes) });
  expect(await archiveBatch(writes, store)).toEqual({ written: 0, existed: 1, failed: [] });
  // …or bisected (bisectBatchOnError), or resumed from a reported failure: new keys, never skipped as archived.
  expect(await archiveBatch(writes.slice(0, 4), store)).toEqual({ written: 1, existed: 0, failed: [] });
  expect(await archiveBatch(writes.slice(4), store)).toEqual({ written: 1, existed: 0, failed: [] });
  expect(await archiveBatch(writes.slice(3), store)).toEqual({ written: 1, existed: 0, failed: [] });
  expect(store.objects.size).toBe(4);
  const archived = await readArchive(store);
  // Each write is archived up to three times over (8 + 4 + 4 + 5), all copies the same: the comparison takes one.
  expect(archived).toHaveLength(21);
  expect(new Set(sequences(archived))).toEqual(new Set(sequences(writes)));
  expect(compareWithArchive(table(4), archived)).toEqual({ checked: 4, ...clean });
  // A different composition with the same first and last sequence is another key too.
  expect(batchObjects([writes[0], writes[2], writes[7]])[0].key).not.toBe(batchObjects([writes[0], writes[1], writes[7]])[0].key);
});

test('a failed put fails its writes and those after it; the retry from there archives them', async () => {
  const writes = appends(6);
  const limit = Math.ceil(Buffer.byteLength(batchObjects(writes)[0].body) / 3) + 400;
  const objects = batchObjects(writes, limit);
  expect(objects.length).toBe(3);
  const store = new MemoryArchive();
  store.failing.add(1);
  const result = await archiveBatch(writes, store, limit);
  expect(result).toEqual({ written: 1, existed: 0, failed: [...sequences(objects[1].writes), ...sequences(objects[2].writes)] });
  // As Lambda does with batchItemFailures: the next delivery starts at the lowest failed sequence.
  const retry = writes.slice(writes.findIndex((w) => w.sequence === result.failed[0]));
  expect(await archiveBatch(retry, store, limit)).toEqual({ written: 2, existed: 0, failed: [] });
  expect(sequences(await readArchive(store))).toEqual(sequences(writes));
  // A put that fails in a one-object delivery fails every write of it.
  const down = new MemoryArchive();
  down.failing.add(0);
  expect(await archiveBatch(writes, down)).toEqual({ written: 0, existed: 0, failed: sequences(writes) });
  expect(down.objects.size).toBe(0);
});

test('archives of the layout before (an object per write) read as they did, also beside batch objects', async () => {
  const writes = appends(3);
  const store = new MemoryArchive();
  // Written by the earlier archiver: records 1 and 2 and their head moves, an object each.
  for (const w of writes.slice(0, 4)) await store.putNew(perWriteKey(w), JSON.stringify(w));
  expect(perWriteKey(writes[0])).toBe(`audit/audit%23r/0000000001/${'100'.padStart(40, '0')}.json`);
  // Then upgraded: record 3, and someone rewriting record 1 through the table's API, arrive in a batch.
  const rewrite: ArchivedWrite = {
    event: 'MODIFY',
    sequence: '200',
    at: '2026-12-07T07:00:00.000Z',
    keys: writes[0].keys,
    oldImage: writes[0].newImage,
    newImage: item(1, { data: { n: 99 } }),
  };
  await archiveBatch([...writes.slice(4), rewrite], store);
  const keys = [...store.objects.keys()];
  expect(keys.filter((k) => k.startsWith(BATCH_PREFIX))).toHaveLength(1);
  const archived = await readArchive(store);
  expect(new Set(sequences(archived))).toEqual(new Set([...sequences(writes), '200']));
  const result = compareWithArchive([item(1, { data: { n: 99 } }), item(2), { pk: 'audit#r', sk: 'head', seq: 3 }], archived);
  expect(result.differs).toEqual([{ pk: 'audit#r', sk: '0000000001', original: item(1), current: item(1, { data: { n: 99 } }) }]);
  expect(result.missingFromTable).toEqual([{ pk: 'audit#r', sk: '0000000003', original: item(3) }]);
  expect(result.missingFromArchive).toEqual([]);
  expect(result.checked).toBe(3);
});

test('an object that does not match its key, or of no known layout, is refused with its key named', () => {
  const [object] = batchObjects(appends(2));
  expect(archivedWritesOf(object.key, object.body)).toEqual(object.writes);
  const edited = object.body.replace('"n":1', '"n":7');
  expect(() => archivedWritesOf(object.key, edited)).toThrow(expect.objectContaining({ code: 'Audit.InvalidArchiveObject', details: { key: object.key } }));
  // Writes left out: the digest of the shorter body is another key, and the key's last sequence is not the body's.
  const shorter = object.body.split('\n').slice(0, 2).join('\n');
  expect(() => archivedWritesOf(object.key, shorter)).toThrow(/does not match its digest/);
  const renamed = batchKey('100', '103', shorter);
  expect(() => archivedWritesOf(renamed, shorter)).toThrow(/not the sequences its key names/);
  const notJson = 'not json\n';
  expect(() => archivedWritesOf(batchKey('1', '1', notJson), notJson)).toThrow(/not JSON/);
  expect(() => archivedWritesOf('audit/p/s/1.json', '{"event":"INSERT"}')).toThrow(/without its event, sequence, time or keys/);
  expect(() => archivedWritesOf('audit/elsewhere.json', '{}')).toThrow(/no archive layout/);
});
