/** The approval flow's storage guarantees, run against every `Table` implementation. */
import { AuditLog } from '../../shared/audit';
import { ApprovalStore, decide, requestApproval, type ApprovalRequestDeps, type ApprovalOutcome } from '../../shared/approvals';
import type { Table } from '../../shared/storage/table';

const PEOPLE = [
  { id: 'sam', name: 'Sam Ortiz', email: 'sam@kestrel.example', roles: ['support-lead'] },
  { id: 'priya', name: 'Priya Natarajan', email: 'priya@kestrel.example', roles: ['finance'] },
  { id: 'maya', name: 'Maya Chen', email: 'maya@kestrel.example', roles: ['owner'] },
];

export function approvalStoreContract(name: string, open: () => Promise<{ state: Table; audit: Table }>): void {
  describe(`approvals on ${name}`, () => {
    let deps: ApprovalRequestDeps & { audit: AuditLog };
    let resumed: ApprovalOutcome[];
    beforeEach(async () => {
      const tables = await open();
      resumed = [];
      deps = {
        store: new ApprovalStore(tables.state),
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
  });
}
