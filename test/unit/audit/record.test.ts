import fc from 'fast-check';
import { GENESIS, recordHash, verifyAuditChain, type AuditRecord } from '../../../shared/audit';

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const unsigned = { runId: 'r', seq, kind: 'tool.ran' as const, at: '2025-01-01T00:00:00.000Z', data: { tool: 't', status: 'ok' as const, n: seq }, prevHash: out.at(-1)?.hash ?? GENESIS };
    out.push({ ...unsigned, hash: recordHash(unsigned) });
  }
  return out;
}
const stored = (records: AuditRecord[]) => records.map((record, i) => ({ position: i + 1, record }));

test('an intact chain verifies; its hash covers the data canonically', () => {
  const c = chain(4);
  expect(verifyAuditChain('r', stored(c), { seq: 4, hash: c[3].hash }).ok).toBe(true);
  expect(recordHash({ ...c[0], data: { status: 'ok', n: 1, tool: 't' } })).toBe(c[0].hash);
});

test('any single edit of any record is detected', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5 }), fc.constantFrom('kind', 'at', 'data', 'prevHash', 'hash', 'runId'), (index, field) => {
      const c = chain(6);
      const edited = { ...c[index], [field]: field === 'data' ? { tool: 't', status: 'error', n: index + 1 } : field === 'kind' ? 'tool.refused' : 'x' } as AuditRecord;
      c[index] = edited;
      return !verifyAuditChain('r', stored(c), { seq: 6, hash: chain(6)[5].hash }).ok;
    }),
  );
});

test('a deleted record is reported where the gap is', () => {
  const c = chain(5);
  const withGap = stored(c).filter((s) => s.position !== 3);
  expect(verifyAuditChain('r', withGap).problems).toEqual([{ seq: 4, problem: 'deleted', message: 'record 3 missing before record 4' }]);
});
