/** Rolling-limit counters under concurrency, on MemoryTable and on dynalite. */
import { LimitCounters } from '../../shared/rights/limit-counters';
import { MemoryTable } from '../../shared/storage/memory-table';
import type { Table } from '../../shared/storage/table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';

function contract(name: string, open: () => Promise<Table>): void {
  describe(`LimitCounters on ${name}`, () => {
    const now = new Date('2025-01-15T10:00:00Z');
    test('concurrent consumers never exceed a sum limit', async () => {
      const counters = new LimitCounters(await open());
      const limit = { sum: { field: 'amount', max: 100 }, per: 'day' as const, scope: 'tool' as const };
      const results = await Promise.all(Array.from({ length: 8 }, () => counters.consume('limit#r#tool=t', limit, 30, now)));
      expect(results.filter((r) => r.within)).toHaveLength(3);
      expect(await counters.usage('limit#r#tool=t', 'day', now)).toEqual({ count: 3, sum: 90 });
      // a day and one bucket later the window has rolled
      expect(await counters.usage('limit#r#tool=t', 'day', new Date(now.getTime() + 86_400_000 + 900_000))).toEqual({ count: 0, sum: 0 });
    });
  });
}

contract('MemoryTable', async () => new MemoryTable());

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
contract('DynamoDbTable on dynalite', async () => dynalite.table());
