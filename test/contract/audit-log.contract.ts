/** The audit trail's contract, run against every `Table` implementation. */
import { AuditLog, auditPk, auditSk, recordHash, type AuditRecord } from '../../shared/audit';
import { appendOnceEach } from '../../shared/audit/append-each';
import { RememberedHeads } from '../../shared/audit/remembered-heads';
import { ConditionFailedError, type Table } from '../../shared/storage/table';

const KEY = 'contract-audit-key';

/** `table` with each request it serves listed (`get`, `query`, `put <sk>`, `put <sk> refused`), as another process's view of it. */
function counted(table: Table): { table: Table; requests: string[] } {
  const requests: string[] = [];
  const wrapped: Table = {
    name: table.name,
    get: (key) => (requests.push(`get ${key.sk}`), table.get(key)),
    query: (pk, options) => (requests.push('query'), table.query(pk, options)),
    put: async (item, condition) => {
      try {
        await table.put(item, condition);
        requests.push(`put ${item.sk}`);
      } catch (error) {
        requests.push(`put ${item.sk}${error instanceof ConditionFailedError ? ' refused' : ' failed'}`);
        throw error;
      }
    },
    update: (key, changes, condition) => (requests.push(`update ${key.sk}`), table.update(key, changes, condition)),
    delete: (key, condition) => (requests.push(`delete ${key.sk}`), table.delete(key, condition)),
    scan: (options) => (requests.push('scan'), table.scan(options)),
  };
  return { table: wrapped, requests };
}

export function auditLogContract(name: string, open: () => Promise<Table>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let table: Table;
    let audit: AuditLog;
    const t0 = new Date('2025-01-15T10:00:00Z');
    beforeEach(async () => {
      table = await open();
      audit = new AuditLog(table, () => t0, { key: async () => KEY });
    });

    async function sampleRun(runId = 'run-1'): Promise<void> {
      await audit.append(runId, 'run.started', { workflowId: 'support-desk' });
      await audit.append(runId, 'rights.evaluated', {
        tool: 'refunds.issue',
        agentId: 'triage',
        decision: 'approve',
        ruleId: 'refund-medium',
        reason: 'r',
        inputDigest: 'd',
      });
      await audit.append(runId, 'approval.decided', { approvalId: 'a1', by: 'sam', decision: 'approve', via: 'web', outcome: 'approved' });
      await audit.append(runId, 'tool.ran', { tool: 'refunds.issue', status: 'ok' });
      await audit.append(runId, 'run.ended', { status: 'succeeded' });
    }

    test('appends a chain that verifies', async () => {
      await sampleRun();
      const records = await audit.records('run-1');
      expect(records.map((r) => [r.seq, r.kind])).toEqual([
        [1, 'run.started'],
        [2, 'rights.evaluated'],
        [3, 'approval.decided'],
        [4, 'tool.ran'],
        [5, 'run.ended'],
      ]);
      expect(records[1].prevHash).toBe(records[0].hash);
      expect(await audit.verify('run-1')).toEqual({ runId: 'run-1', ok: true, count: 5, problems: [] });
      expect(await audit.runs()).toEqual(['run-1']);
      expect(await audit.indexedRuns()).toEqual(['run-1']);
    });

    test('concurrent appends never fork the chain', async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          audit.append('race', 'model.called', { agentId: 'a', model: 'm', turn: i, inputTokens: 1, outputTokens: 1, costUsd: 0 }),
        ),
      );
      const records = await audit.records('race');
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(new Set(records.map((r) => r.data.turn)).size).toBe(12);
      expect((await audit.verify('race')).ok).toBe(true);
    });

    test('a record edited in the table is detected', async () => {
      await sampleRun();
      const item = await table.get({ pk: auditPk('run-1'), sk: auditSk(3) });
      await table.put({ ...item!, data: { ...(item!.data as object), by: 'mallory' } });
      const verdict = await audit.verify('run-1');
      expect(verdict.ok).toBe(false);
      expect(verdict.problems).toEqual([expect.objectContaining({ seq: 3, problem: 'edited' })]);
    });

    test('an edited record with a recomputed hash breaks the next link', async () => {
      await sampleRun();
      const item = (await table.get({ pk: auditPk('run-1'), sk: auditSk(2) }))!;
      const forged: Record<string, unknown> & typeof item = { ...item, data: { ...(item.data as object), decision: 'allow' } };
      forged.hash = recordHash(forged as unknown as Parameters<typeof recordHash>[0], KEY);
      await table.put(forged);
      const verdict = await audit.verify('run-1');
      expect(verdict.problems).toEqual([expect.objectContaining({ seq: 3, problem: 'edited', message: expect.stringContaining('does not link') })]);
    });

    test('deleted records (middle, last with the head) are detected', async () => {
      await sampleRun();
      await table.delete({ pk: auditPk('run-1'), sk: auditSk(2) });
      expect((await audit.verify('run-1')).problems).toEqual([expect.objectContaining({ seq: 3, problem: 'deleted' })]);
      await sampleRun('run-2');
      await table.delete({ pk: auditPk('run-2'), sk: auditSk(5) });
      // The head holds the last record too: deleting only its item loses nothing.
      expect((await audit.records('run-2')).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      await table.delete({ pk: auditPk('run-2'), sk: 'head' });
      expect((await audit.verify('run-2')).problems).toEqual([expect.objectContaining({ problem: 'truncated' })]);
    });

    test('a correctly chained and keyed record added past the head is rejected', async () => {
      await sampleRun();
      const last = (await audit.records('run-1')).at(-1)!;
      const unsigned = {
        runId: 'run-1',
        seq: 6,
        kind: 'tool.ran' as const,
        at: t0.toISOString(),
        data: { tool: 'refunds.issue', status: 'ok' as const },
        prevHash: last.hash,
      };
      const extra: AuditRecord = { ...unsigned, hash: recordHash(unsigned, KEY) };
      await table.put({ pk: auditPk('run-1'), sk: auditSk(6), ...extra });
      const verdict = await audit.verify('run-1');
      expect(verdict.ok).toBe(false);
      expect(verdict.problems).toEqual([expect.objectContaining({ seq: 6, problem: 'appended' })]);
    });

    test('a run whose whole trail was deleted is still found by verifyAll, and reported', async () => {
      await sampleRun('run-1');
      await sampleRun('run-2');
      for (const item of await table.scan({ pkPrefix: auditPk('run-1') })) await table.delete({ pk: item.pk, sk: item.sk });
      const verdicts = await audit.verifyAll();
      expect(verdicts.filter((v) => !v.runId.startsWith('(index')).map((v) => [v.runId, v.ok])).toEqual([
        ['run-1', false],
        ['run-2', true],
      ]);
      // The index chains that list the two runs (one or two of the sixteen) are intact.
      const index = verdicts.filter((v) => v.runId.startsWith('(index '));
      expect(index.length).toBeGreaterThanOrEqual(1);
      expect(index.every((v) => v.ok)).toBe(true);
      expect((await audit.verify('run-1')).ok).toBe(false);
    });

    test('appendOnce appends a record once per key, across retries', async () => {
      await audit.append('run-1', 'run.started', { workflowId: 'w' });
      const data = { approvalId: 'a1', by: 'sam', decision: 'approve' as const, via: 'web' as const, outcome: 'approved' as const };
      const first = await audit.appendOnce('run-1', 'decision:a1:sam', 'approval.decided', data);
      const again = await audit.appendOnce('run-1', 'decision:a1:sam', 'approval.decided', data);
      expect(again).toEqual(first);
      expect((await audit.records('run-1')).map((r) => r.kind)).toEqual(['run.started', 'approval.decided']);
      expect((await audit.verify('run-1')).ok).toBe(true);
    });

    describe('appendOnceEach', () => {
      const start = [
        { once: 'event.received', kind: 'event.received' as const, data: { source: 'stripe', detailType: 'charge.dispute.created' } },
        { once: 'run.started', kind: 'run.started' as const, data: { workflowId: 'disputes' } },
      ];

      test('appends the records in order, once each across retries, and lists the run once', async () => {
        const first = await appendOnceEach(audit, 'run-1', start, { newChain: true });
        // A retry from another process (the engine ran the task again after a crash) finds both; its guess that the
        // chain is new is refused by the head that is there.
        const retry = new AuditLog(table, () => t0, { key: async () => KEY, heads: new RememberedHeads() });
        expect(await appendOnceEach(retry, 'run-1', start, { newChain: true })).toEqual(first);
        expect(await appendOnceEach(retry, 'run-1', start)).toEqual(first);
        expect((await audit.records('run-1')).map((r) => [r.seq, r.kind])).toEqual([
          [1, 'event.received'],
          [2, 'run.started'],
        ]);
        expect((await audit.verify('run-1')).ok).toBe(true);
        expect(await audit.indexedRuns()).toEqual(['run-1']);
        // The second record's head says the run is listed: no marker item was written for it.
        expect(await table.get({ pk: auditPk('run-1'), sk: 'head' })).toMatchObject({ seq: 2, indexed: true });
        expect(await table.get({ pk: 'audit-indexed#run-1', sk: 'member' })).toBeUndefined();
      });

      test("the later record's head carries the listing: another process appends without listing the run again", async () => {
        await appendOnceEach(audit, 'run-1', start);
        const other = new AuditLog(table, () => t0, { key: async () => KEY, heads: new RememberedHeads() });
        await other.append('run-1', 'run.ended', { status: 'SUCCEEDED' });
        const listings = (await table.scan({ pkPrefix: 'audit-index#' })).filter((i) => /^\d+$/.test(i.sk));
        expect(listings.map((i) => (i.data as { runId: string }).runId)).toEqual(['run-1']);
        expect((await audit.verifyAll()).every((v) => v.ok)).toBe(true);
      });

      test('a whole trail deleted is still reported by verify of the run, marker or not', async () => {
        await appendOnceEach(audit, 'run-1', start);
        for (const item of await table.scan({ pkPrefix: auditPk('run-1') })) await table.delete({ pk: item.pk, sk: item.sk });
        expect(await audit.verify('run-1')).toMatchObject({ runId: 'run-1', ok: false, problems: [expect.objectContaining({ problem: 'truncated' })] });
      });

      test('a writer that died after listing the run, before the next head move: the retry finds it listed, once', async () => {
        const dying = new AuditLog(table, () => t0, { key: async () => KEY, heads: new RememberedHeads() });
        await appendOnceEach(dying, 'run-1', start.slice(0, 1));
        // As if the process died before its second record: the head holds the first record, not the listing.
        const head = (await table.get({ pk: auditPk('run-1'), sk: 'head' }))!;
        await table.put({ ...head, indexed: false });
        await table.delete({ pk: 'audit-indexed#run-1', sk: 'member' });
        const retry = new AuditLog(table, () => t0, { key: async () => KEY, heads: new RememberedHeads() });
        await appendOnceEach(retry, 'run-1', start, { newChain: true });
        expect((await audit.records('run-1')).map((r) => r.kind)).toEqual(['event.received', 'run.started']);
        expect(await audit.indexedRuns()).toEqual(['run-1']);
        expect((await audit.verifyAll()).every((v) => v.ok)).toBe(true);
        expect(await table.get({ pk: 'audit-indexed#run-1', sk: 'member' })).toBeDefined();
      });
    });

    test('a record committed in the head but not yet written (the writer died) is read, and written by the next append', async () => {
      await sampleRun();
      await table.delete({ pk: auditPk('run-1'), sk: auditSk(5) });
      expect((await audit.verify('run-1')).ok).toBe(true);
      // The next append comes from another process: the dead writer's memory of its own writes died with it.
      const survivor = new AuditLog(table, () => t0, { key: async () => KEY, heads: new RememberedHeads() });
      await survivor.append('run-1', 'run.ended', { status: 'again' });
      expect(await table.get({ pk: auditPk('run-1'), sk: auditSk(5) })).toBeDefined();
      expect((await audit.verify('run-1')).count).toBe(6);
    });

    test('an append after a head another process moved: one query finds the head and its record item, then the move and the item', async () => {
      await sampleRun();
      // A function in a process of its own (a Lambda): it never moved this chain's head, so it remembers none.
      const other = counted(table);
      await new AuditLog(other.table, () => t0, { key: async () => KEY, heads: new RememberedHeads() }).append('run-1', 'run.ended', { status: 'again' });
      expect(other.requests).toEqual(['query', 'put head', `put ${auditSk(6)}`]);
      // The head's record item missing (its writer died after moving the head): the query tells, and the item is written first.
      await table.delete({ pk: auditPk('run-1'), sk: auditSk(6) });
      const next = counted(table);
      await new AuditLog(next.table, () => t0, { key: async () => KEY, heads: new RememberedHeads() }).append('run-1', 'run.ended', { status: 'more' });
      expect(next.requests).toEqual(['query', `put ${auditSk(6)}`, 'put head', `put ${auditSk(7)}`]);
      expect(await audit.verify('run-1')).toEqual({ runId: 'run-1', ok: true, count: 7, problems: [] });
    });

    test('a once key from another process: the head and the records in one query; a record only in the head is found too', async () => {
      await sampleRun();
      const data = { approvalId: 'a1', by: 'sam', decision: 'approve' as const, via: 'web' as const, outcome: 'approved' as const };
      const other = counted(table);
      const first = await new AuditLog(other.table, () => t0, { key: async () => KEY, heads: new RememberedHeads() }).appendOnce(
        'run-1',
        'd:a1',
        'approval.decided',
        data,
      );
      expect(other.requests).toEqual(['query', 'put head', `put ${auditSk(6)}`]);
      // Its item lost (the writer died after the head move): a retry elsewhere finds the record in the head, writes its item, appends nothing.
      await table.delete({ pk: auditPk('run-1'), sk: auditSk(6) });
      const retry = counted(table);
      expect(
        await new AuditLog(retry.table, () => t0, { key: async () => KEY, heads: new RememberedHeads() }).appendOnce('run-1', 'd:a1', 'approval.decided', data),
      ).toEqual(first);
      expect(retry.requests).toEqual(['query', `put ${auditSk(6)}`]);
      expect(await audit.verify('run-1')).toEqual({ runId: 'run-1', ok: true, count: 6, problems: [] });
    });

    test('swapped records are detected', async () => {
      await sampleRun();
      const a = (await table.get({ pk: auditPk('run-1'), sk: auditSk(2) }))!;
      const b = (await table.get({ pk: auditPk('run-1'), sk: auditSk(3) }))!;
      await table.put({ ...b, sk: a.sk });
      await table.put({ ...a, sk: b.sk });
      const verdict = await audit.verify('run-1');
      expect(verdict.ok).toBe(false);
      expect(verdict.problems.map((p) => p.problem)).toContain('reordered');
    });

    test('an unknown run is an error', async () => {
      await expect(audit.verify('nope')).rejects.toMatchObject({ code: 'Audit.RunNotFound' });
    });

    test('a run id longer than any key the table takes is refused by its length, before any request', async () => {
      const long = 'r'.repeat(3000);
      for (const asked of [audit.verify(long), audit.records(long)])
        await expect(asked).rejects.toMatchObject({ code: 'Audit.RunIdTooLong', message: 'a run id is at most 256 characters; this one has 3000' });
    });
  });
}
