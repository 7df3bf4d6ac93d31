/**
 * Every new run appends once to an index chain, so after a restart dozens
 * of runs append at the same moment. An append that lost the race must
 * not re-read the whole index on each retry: that made every attempt as slow
 * as the index is long, and under load runs failed with Audit.Contention.
 */
import { AuditLog } from '../../../shared/audit/audit-log';
import { MemoryTable } from '../../../shared/storage/memory-table';
import type { QueryOptions, QueryPage, Table } from '../../../shared/storage/table';

/** The index partition as a slow store serves it: each item read costs a turn of the event loop, and is counted. */
class SlowIndexTable extends MemoryTable {
  indexItemsRead = 0;

  override async query(pk: string, options?: QueryOptions): Promise<QueryPage> {
    const page = await super.query(pk, options);
    if (pk.startsWith('audit-index')) {
      this.indexItemsRead += page.items.length;
      for (let i = 0; i < page.items.length; i++) await new Promise((r) => setImmediate(r));
    }
    return page;
  }
}

test('forty new runs appending at once to an index of 150 runs: all are indexed, each reading the index about once', async () => {
  const table = new SlowIndexTable('audit');
  const audit = new AuditLog(table as Table);
  for (let i = 0; i < 150; i++) await audit.append(`old-${i}`, 'run.started', { workflowId: 'w', trigger: 'manual' });
  table.indexItemsRead = 0;

  const fresh = Array.from({ length: 40 }, (_, i) => `new-${i}`);
  await Promise.all(fresh.map((runId) => audit.append(runId, 'run.started', { workflowId: 'w', trigger: 'manual' })));

  const indexed = await audit.indexedRuns();
  expect(indexed).toHaveLength(190);
  expect(fresh.every((r) => indexed.includes(r))).toBe(true);
  const verdicts = await audit.verifyAll();
  expect(verdicts.every((v) => v.ok)).toBe(true);
  // The runs are spread over the sixteen index chains, so one run's start does not queue behind all others.
  expect(verdicts.filter((v) => v.runId.startsWith('(index ')).length).toBe(16);
  // A first attempt reads the index once (150–190 records); retries read only what others appended meanwhile.
  expect(table.indexItemsRead).toBeLessThan(2 * fresh.length * 190);
});
