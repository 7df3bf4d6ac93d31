import { decide, expireApprovalOfCall, requestApproval } from '../../../shared/approvals/approval-service';
import { harness, refundRequest } from './fixture';

describe('expireApprovalOfCall (the workflow deadline passed, onTimeout reject)', () => {
  test('closes the pending approval of the call as expired and audits the deadline', async () => {
    const h = harness();
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    const out = await expireApprovalOfCall(h.deps, { action: 'expire', runId: 'run-1', stepId: 'triage', toolUseId: 'tu-1' });
    expect(out).toEqual({ expired: true, approvalId });
    expect((await h.deps.store.get(approvalId))?.status).toBe('expired');
    const kinds = (await h.deps.audit.records('run-1')).map((r) => r.kind);
    expect(kinds).toContain('approval.deadline_passed');
    // A late click decides nothing and resumes nothing.
    await decide(h.deps, { approvalId, approver: 'sam', vote: 'approve', comment: null, via: 'cli' }).catch(() => undefined);
    expect(h.resumed).toEqual([]);
  });

  test('leaves a decided approval alone, and knows no approval for an unknown call', async () => {
    const h = harness();
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    await decide(h.deps, { approvalId, approver: 'sam', vote: 'approve', comment: null, via: 'cli' });
    expect(await expireApprovalOfCall(h.deps, { action: 'expire', runId: 'run-1', stepId: 'triage', toolUseId: 'tu-1' })).toEqual({
      expired: false,
      approvalId,
    });
    expect((await h.deps.store.get(approvalId))?.status).toBe('approved');
    expect(await expireApprovalOfCall(h.deps, { action: 'expire', runId: 'run-1', stepId: 'triage', toolUseId: 'nope' })).toEqual({
      expired: false,
      approvalId: null,
    });
  });
});
