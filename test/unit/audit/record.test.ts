import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { GENESIS, recordHash, verifyAuditChain as verifyWithKey, type AuditRecord } from '../../../shared/audit';
import { canonicalJson } from '../../../shared/rights/input-digest';

const KEY = 'audit-key-for-tests';
const verifyAuditChain = (runId: string, stored: { position: number; record: AuditRecord }[], head?: { seq: number; hash: string }) =>
  verifyWithKey(runId, stored, head, KEY);

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const unsigned = {
      runId: 'r',
      seq,
      kind: 'tool.ran' as const,
      at: '2025-01-01T00:00:00.000Z',
      data: { tool: 't', status: 'ok' as const, n: seq },
      prevHash: out.at(-1)?.hash ?? GENESIS,
    };
    out.push({ ...unsigned, hash: recordHash(unsigned, KEY) });
  }
  return out;
}
const stored = (records: AuditRecord[]) => records.map((record, i) => ({ position: i + 1, record }));

test('an intact chain verifies; its hash covers the data canonically', () => {
  const c = chain(4);
  expect(verifyAuditChain('r', stored(c), { seq: 4, hash: c[3].hash }).ok).toBe(true);
  expect(recordHash({ ...c[0], data: { status: 'ok', n: 1, tool: 't' } }, KEY)).toBe(c[0].hash);
});

test('any single edit of any record is detected', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5 }), fc.constantFrom('kind', 'at', 'data', 'prevHash', 'hash', 'runId'), (index, field) => {
      const c = chain(6);
      const edited = {
        ...c[index],
        [field]: field === 'data' ? { tool: 't', status: 'error', n: index + 1 } : field === 'kind' ? 'tool.refused' : 'x',
      } as AuditRecord;
      c[index] = edited;
      return !verifyAuditChain('r', stored(c), { seq: 6, hash: chain(6)[5].hash }).ok;
    }),
  );
});

test('a deleted record is reported where the gap is', () => {
  const c = chain(5);
  const withGap = stored(c).filter((s) => s.position !== 3);
  expect(verifyAuditChain('r', withGap, { seq: 5, hash: c[4].hash }).problems).toEqual([
    { seq: 4, problem: 'deleted', message: 'record 3 missing before record 4' },
  ]);
});

test('records past the head are reported, even correctly chained and keyed ones', () => {
  const c = chain(6);
  const verdict = verifyAuditChain('r', stored(c), { seq: 5, hash: c[4].hash });
  expect(verdict.ok).toBe(false);
  expect(verdict.problems).toEqual([expect.objectContaining({ seq: 6, problem: 'appended' })]);
  expect(verdict.count).toBe(5);
});

test('records without a head are reported', () => {
  expect(verifyAuditChain('r', stored(chain(2))).problems).toEqual([expect.objectContaining({ problem: 'truncated' })]);
});

test('a chain rewritten without the key (plain sha256, or another key) does not verify', () => {
  const forged: AuditRecord[] = [];
  for (const r of chain(3)) {
    const unsigned = { runId: r.runId, seq: r.seq, kind: r.kind, at: r.at, data: { ...r.data, status: 'error' }, prevHash: forged.at(-1)?.hash ?? GENESIS };
    forged.push({ ...unsigned, hash: createHash('sha256').update(canonicalJson(unsigned)).digest('hex') });
  }
  const verdict = verifyAuditChain('r', stored(forged), { seq: 3, hash: forged[2].hash });
  expect(verdict.problems.filter((p) => p.problem === 'edited')).toHaveLength(3);
  const otherKey = chain(3).map((r) => ({ ...r, hash: recordHash(r, 'another-key') }));
  expect(verifyWithKey('r', stored(otherKey), { seq: 3, hash: otherKey[2].hash }, KEY).ok).toBe(false);
});
