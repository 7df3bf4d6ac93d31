/**
 * The comparison of the audit table with what was first written, over an
 * archive the archiver wrote (batch objects); the batching itself, its keys,
 * redeliveries and the earlier layout are in archive-batch.test.ts.
 */
import { compareWithArchive, type ArchivedWrite } from '../../../shared/audit/archive';
import { archiveBatch } from '../../../shared/audit/archive-batch';
import { readArchive } from '../../../shared/audit/archive-read';
import { archiveComparisonLines } from '../../../shared/audit/archive-text';
import { MemoryArchive } from './memory-archive';

const record = (runId: string, seq: number, extra: Record<string, unknown> = {}) => ({
  pk: `audit#${runId}`,
  sk: String(seq).padStart(10, '0'),
  runId,
  seq,
  kind: 'run.started',
  at: `2026-12-06T10:00:0${seq}.000Z`,
  data: { workflowId: 'w' },
  hash: `h${seq}`,
  ...extra,
});
const insert = (sequence: string, item: Record<string, unknown>): ArchivedWrite => ({
  event: 'INSERT',
  sequence,
  at: '2026-12-06T10:00:00.000Z',
  keys: { pk: String(item.pk), sk: String(item.sk) },
  newImage: item,
});

test('the comparison finds deleted, rewritten and unarchived records, against the first image of each', async () => {
  const store = new MemoryArchive();
  const one = record('r', 1);
  const two = record('r', 2, { kind: 'rights.evaluated', data: { ruleId: 'small-refunds' } });
  const three = record('r', 3, { kind: 'run.ended' });
  const rewritten = { ...two, data: { ruleId: 'owner-override' } };
  await archiveBatch(
    [
      insert('1', one),
      insert('2', two),
      insert('3', three),
      // The head moves on every append: not a chain record, never compared.
      { event: 'INSERT', sequence: '4', at: '', keys: { pk: 'audit#r', sk: 'head' }, newImage: { pk: 'audit#r', sk: 'head', seq: 3 } },
      // A rewrite, then a second rewrite back and forth: the original is still the first image.
      { event: 'MODIFY', sequence: '5', at: '', keys: { pk: two.pk, sk: two.sk }, oldImage: two, newImage: rewritten },
      { event: 'REMOVE', sequence: '6', at: '', keys: { pk: three.pk, sk: three.sk }, oldImage: three },
    ],
    store,
  );
  const unarchived = record('r', 4, { kind: 'tool.ran' });
  const table = [one, rewritten, unarchived, { pk: 'audit#r', sk: 'head', seq: 4 }];
  const result = compareWithArchive(table, await readArchive(store));
  expect(result.checked).toBe(4);
  expect(result.missingFromTable).toEqual([{ pk: 'audit#r', sk: '0000000003', original: three }]);
  expect(result.differs).toEqual([{ pk: 'audit#r', sk: '0000000002', original: two, current: rewritten }]);
  expect(result.missingFromArchive).toEqual([{ pk: 'audit#r', sk: '0000000004', current: unarchived }]);
  expect(archiveComparisonLines(result, 'b')).toEqual([
    'DIFFER archive b: 4 records compared',
    '       run r record 3 (run.ended): missing from the table (deleted); the archive keeps it as written at 2026-12-06T10:00:03.000Z',
    '       run r record 2 (rights.evaluated): differs from what was first written: data changed; the original is kept in the archive',
    "       run r record 4 (tool.ran): missing from the archive (written around the table's stream, or not delivered yet)",
  ]);
  // Key order and number types do not make an equal record differ.
  const reordered = Object.fromEntries(Object.entries(one).reverse());
  expect(compareWithArchive([reordered], [insert('1', one)])).toEqual({ checked: 1, missingFromTable: [], differs: [], missingFromArchive: [] });
});
