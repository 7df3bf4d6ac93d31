/** The approval flow's storage guarantees, run against every `Table` implementation. */
import { AuditLog } from '../../shared/audit';
import { ApprovalStore, decide, requestApproval, type ApprovalRequestDeps, type ApprovalOutcome } from '../../shared/approvals';
import { ApprovalLists } from '../../shared/approvals/approval-lists';
import type { ItemsWriter } from '../../shared/storage/items-writer';
import type { Item, Table } from '../../shared/storage/table';

const PEOPLE = [
  { id: 'sam', name: 'Sam Ortiz', email: 'sam@kestrel.example', roles: ['support-lead'] },
  { id: 'priya', name: 'Priya Natarajan', email: 'priya@kestrel.example', roles: ['finance'] },
  { id: 'maya', name: 'Maya Chen', email: 'maya@kestrel.example', roles: ['owner'] },
];

/** `writeItems`: how the store writes index entries in one request (absent: one put each). */
export function approvalStoreContract(name: string, open: () => Promise<{ state: Table; audit: Table; writeItems?: ItemsWriter }>): void {
  describe(`approvals on ${name}`, () => {
    let deps: ApprovalRequestDeps & { audit: AuditLog };
    let resumed: ApprovalOutcome[];
    /** Each batch of index entries written, in order. */
    let batches: Item[][];
    beforeEach(async () => {
      const tables = await open();
      resumed = [];
      batches = [];
      const state = tables.state;
      const writeItems: ItemsWriter = async (items) => {
        batches.push([...items]);
        await (tables.writeItems ? tables.writeItems(items) : Promise.all(items.map((item) => state.put(item))));
      };
      deps = {
        store: new ApprovalStore(tables.state, writeItems),
        audit: new AuditLog(tables.audit),
        signingKey: async () => 'k',
        notifier: { sendTaskSuccess: async (_t, output) => void resumed.push(output) },
        mailer: { send: async () => {} },
        people: PEOPLE,
        publicUrl: 'http://127.0.0.1:4566',
      };
    });

    const request = (runId: string, approvers: string[], quorum: number) => ({
      taskToken: `tok-${runId}`,
      runId,
      workflowId: 'support-desk',
      stepId: 'triage',
      agentId: 'triage',
      stage: 'primary',
      call: { toolUseId: 'tu-1', name: 'refunds.issue', input: { orderId: 'KC-1', amount: 120 } },
      approvers,
      quorum,
      timeoutSeconds: 3600,
    });

    test('approvers deciding at the same moment: one outcome, one resume', async () => {
      const { approvalId } = await requestApproval(deps, request('race-1', ['sam', 'priya', 'maya'], 1));
      const results = await Promise.all(['sam', 'priya', 'maya'].map((approver) => decide(deps, { approvalId, approver, vote: 'approve', via: 'web' })));
      expect(resumed).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'recorded' && r.resumed)).toHaveLength(1);
      expect((await deps.store.get(approvalId))!.status).toBe('approved');
      expect((await deps.audit.verify('race-1')).ok).toBe(true);
    });

    test('one person submitting twice at once: one decision', async () => {
      const { approvalId } = await requestApproval(deps, request('race-2', ['sam', 'priya'], 2));
      const results = await Promise.all([1, 2, 3].map(() => decide(deps, { approvalId, approver: 'sam', vote: 'approve', via: 'web' })));
      expect(results.map((r) => r.kind).sort()).toEqual(['already-decided', 'already-decided', 'recorded']);
      expect(await deps.store.decisions(approvalId)).toHaveLength(1);
      expect(resumed).toHaveLength(0);
    });

    test('an approval read with its decisions in one query', async () => {
      const { approvalId } = await requestApproval(deps, request('both-1', ['sam', 'priya'], 2));
      expect(await deps.store.getWithDecisions(approvalId)).toEqual({ approval: await deps.store.get(approvalId), decisions: [] });
      await decide(deps, { approvalId, approver: 'sam', vote: 'approve', via: 'web' });
      const both = await deps.store.getWithDecisions(approvalId);
      expect(both.approval).toEqual(await deps.store.get(approvalId));
      expect(both.decisions).toEqual(await deps.store.decisions(approvalId));
      expect(both.decisions.map((d) => d.approver)).toEqual(['sam']);
      expect(await deps.store.getWithDecisions('no-such-approval')).toEqual({ approval: undefined, decisions: [] });
      expect(await deps.store.getWithDecisions('../bad id')).toEqual({ approval: undefined, decisions: [] });
    });

    test('the same call requested twice at once gets one approval', async () => {
      const [a, b] = await Promise.all([requestApproval(deps, request('race-3', ['sam'], 1)), requestApproval(deps, request('race-3', ['sam'], 1))]);
      expect(a.approvalId).toBe(b.approvalId);
      expect((await deps.store.list()).filter((x) => x.runId === 'race-3')).toHaveLength(1);
    });

    describe('the lists the console reads, without a scan', () => {
      let state: Table;
      let lists: ApprovalLists;
      let now: Date;
      beforeEach(async () => {
        state = (deps.store as unknown as { table: Table }).table;
        now = new Date();
        lists = new ApprovalLists(state, () => now);
      });
      const ids = (approvals: readonly { id: string }[]) => approvals.map((a) => a.id).sort();

      test('pending, of a run, asked of a person, closed recently: each follows every change', async () => {
        const a = await requestApproval(deps, request('list-1', ['sam'], 1));
        const b = await requestApproval(deps, {
          ...request('list-2', ['priya'], 1),
          call: { toolUseId: 'tu-2', name: 'refunds.issue', input: { orderId: 'KC-2', amount: 90 } },
        });
        expect(ids(await lists.pending())).toEqual([a.approvalId, b.approvalId].sort());
        expect(ids(await lists.ofRun('list-1'))).toEqual([a.approvalId]);
        expect(ids(await lists.askedOf('priya', 50))).toEqual([b.approvalId]);
        expect(await lists.recentlyClosed(20)).toEqual([]);

        await decide(deps, { approvalId: a.approvalId, approver: 'sam', vote: 'reject', via: 'web' });
        expect(ids(await lists.pending())).toEqual([b.approvalId]);
        expect((await lists.recentlyClosed(20)).map((x) => [x.id, x.status])).toEqual([[a.approvalId, 'rejected']]);
        expect((await lists.ofRun('list-1'))[0].status).toBe('rejected');

        // Escalated to Maya: she is asked too, and the approval is still pending, listed once.
        await requestApproval(deps, {
          ...request('list-2', ['maya'], 1),
          call: { toolUseId: 'tu-2', name: 'refunds.issue', input: { orderId: 'KC-2', amount: 90 } },
          stage: 'escalation',
          taskToken: 'tok-esc',
        });
        expect(ids(await lists.askedOf('maya', 50))).toEqual([b.approvalId]);
        expect(ids(await lists.askedOf('priya', 50))).toEqual([b.approvalId]);
        expect(ids(await lists.pending())).toEqual([b.approvalId]);
      });

      test('a new approval is listed in one write of its entries, made before the approval: a create that dies between leaves entries, no approval', async () => {
        const put = state.put.bind(state);
        state.put = async (item, condition) => {
          if (item.pk.startsWith('approval#')) throw new Error('killed');
          return put(item, condition);
        };
        await expect(requestApproval(deps, request('listed-1', ['sam', 'priya'], 1))).rejects.toThrow('killed');
        state.put = put;
        expect(batches).toHaveLength(1);
        const [open] = (await state.query('approval-open')).items;
        expect(batches[0].map((e) => e.pk).sort()).toEqual(['approval-open', 'approver#priya', 'approver#sam', 'run#listed-1']);
        expect((await state.query('approver#sam')).items).toHaveLength(1);
        expect((await state.query('run#listed-1', { skPrefix: 'approval#' })).items).toEqual([{ pk: 'run#listed-1', sk: `approval#${open.sk}` }]);
        expect(await deps.store.get(String(open.sk))).toBeUndefined();
        // The retried task finds the call's claim and makes the approval it names, listed again (the same entries).
        const { approvalId } = await requestApproval(deps, request('listed-1', ['sam', 'priya'], 1));
        expect(approvalId).toBe(open.sk);
        expect(ids(await lists.pending())).toEqual([approvalId]);
        expect(ids(await lists.askedOf('priya', 50))).toEqual([approvalId]);
      });

      test('what a crash leaves: an entry of an approval never made is dropped once old, one of a closed approval at once', async () => {
        const a = await requestApproval(deps, request('crash-1', ['sam'], 1));
        // A create that died after listing: its entry, no approval.
        await state.put({ pk: 'approval-open', sk: 'never-made', runId: 'crash-2', at: now.toISOString() });
        // A close that died before removing its open entry.
        const b = await requestApproval(deps, {
          ...request('crash-3', ['sam'], 1),
          call: { toolUseId: 'tu-3', name: 'refunds.issue', input: { orderId: 'KC-3', amount: 70 } },
        });
        await decide(deps, { approvalId: b.approvalId, approver: 'sam', vote: 'approve', via: 'web' });
        await state.put({ pk: 'approval-open', sk: b.approvalId, runId: 'crash-3', at: now.toISOString() });

        expect(ids(await lists.pending())).toEqual([a.approvalId]);
        expect((await state.query('approval-open')).items.map((e) => e.sk).sort()).toEqual([a.approvalId, 'never-made'].sort());
        now = new Date(now.getTime() + 11 * 60_000);
        expect(ids(await lists.pending())).toEqual([a.approvalId]);
        expect((await state.query('approval-open')).items.map((e) => e.sk)).toEqual([a.approvalId]);
      });

      test('approvals stored before the index are listed on the first read, once', async () => {
        const a = await requestApproval(deps, request('old-1', ['sam'], 1));
        const b = await requestApproval(deps, {
          ...request('old-2', ['priya'], 1),
          call: { toolUseId: 'tu-4', name: 'refunds.issue', input: { orderId: 'KC-4', amount: 60 } },
        });
        await decide(deps, { approvalId: b.approvalId, approver: 'priya', vote: 'approve', via: 'web' });
        for (const pk of ['approval-open', 'run#old-1', 'run#old-2', 'approver#sam', 'approver#priya', `approval-closed#${now.toISOString().slice(0, 7)}`])
          for (const e of (await state.query(pk)).items) await state.delete({ pk: e.pk, sk: e.sk });

        expect(ids(await lists.pending())).toEqual([a.approvalId]);
        expect(ids(await lists.ofRun('old-2'))).toEqual([b.approvalId]);
        expect(ids(await lists.askedOf('priya', 50))).toEqual([b.approvalId]);
        expect(ids(await lists.recentlyClosed(20))).toEqual([b.approvalId]);
        expect(await state.get({ pk: 'approval-index', sk: 'filled' })).toBeDefined();
      });
    });
  });
}
