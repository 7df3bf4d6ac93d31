/**
 * The approval task is invoked again after a crash (the local engine resumes
 * it; on AWS a retried task) when the decision was recorded and the approval
 * closed, but its audit record and resume were not done yet. The retried
 * request resumes the run; it must do so through the owed-resume sequence,
 * so the resume is recorded as sent. Before, it sent SendTaskSuccess aside:
 * the reconciler then made the owed "first" resume, Step Functions answered
 * TaskTimedOut (already answered), and that was taken for a stopped run — an
 * approval whose call had run was rewritten to `cancelled`, with a false
 * `approval.cancelled` record (found by the fault harness).
 */
import { ApprovalStore, requestApproval, type ApprovalOutcome } from '../../../shared/approvals';
import { reconcileApprovals } from '../../../shared/approvals/decision-effects';
import { harness, refundRequest } from './fixture';

/** Step Functions' side of task tokens: one success per token, later calls answer TaskTimedOut. */
class FakeTasks {
  readonly delivered: { token: string; output: ApprovalOutcome }[] = [];
  private readonly answered = new Set<string>();
  async sendTaskSuccess(token: string, output: ApprovalOutcome): Promise<void> {
    if (this.answered.has(token)) throw Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
    this.answered.add(token);
    this.delivered.push({ token, output });
  }
  async isWaiting(token: string): Promise<boolean> {
    return !this.answered.has(token);
  }
}

/** A decision recorded and the approval closed, then the process died: audit record and resume still owed. */
async function decidedThenDied(h: ReturnType<typeof harness>, approvalId: string) {
  const store = new ApprovalStore(h.stateTable);
  const at = h.clock.now;
  await store.markTodo(approvalId, 'primary', 'sam', at);
  await store.recordDecision({
    approvalId,
    stage: 'primary',
    approver: 'sam',
    vote: 'approve',
    comment: null,
    at: at.toISOString(),
    via: 'web',
    audited: false,
  });
  await store.close(approvalId, 'primary', 'approved', { decidedAt: at.toISOString(), decidedBy: ['sam'], resume: 'pending' });
}

for (const token of ['token-primary', 'token-retried'] as const) {
  test(`a retried approval task (${token === 'token-primary' ? 'same' : 'new'} token) after a half-done decision resumes once; the approval stays approved`, async () => {
    const h = harness();
    const tasks = new FakeTasks();
    h.deps.notifier = tasks;
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    await decidedThenDied(h, approvalId);

    const again = await requestApproval(h.deps, refundRequest({ taskToken: token }));
    expect(again.resumedImmediately).toBe(true);
    // The reconciler of the next start (or its periodic pass) finishes what is left.
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    await reconcileApprovals(h.deps);

    expect(tasks.delivered.map((d) => [d.token, d.output.approved])).toEqual([[token, true]]);
    const approval = (await h.deps.store.get(approvalId))!;
    expect({ status: approval.status, resume: approval.resume }).toEqual({ status: 'approved', resume: 'done' });
    const kinds = (await h.deps.audit.records('run-1')).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'approval.decided')).toHaveLength(1);
    expect(kinds).not.toContain('approval.cancelled');
    // The decision is in the trail before the run went on.
    expect(kinds.indexOf('approval.decided')).toBeGreaterThan(kinds.indexOf('approval.requested'));
  });
}

test('a retried approval task of an approval closed without approval (expired) is answered "not approved" at once', async () => {
  const h = harness();
  const tasks = new FakeTasks();
  h.deps.notifier = tasks;
  const { approvalId } = await requestApproval(h.deps, refundRequest());
  await new ApprovalStore(h.stateTable).close(approvalId, 'primary', 'expired', { decidedAt: h.clock.now.toISOString(), decidedBy: [] });
  // Before, this asked again and again to update a pending approval that was no longer pending, without end.
  let updates = 0;
  const store = h.deps.store;
  const updatePending = store.updatePending.bind(store);
  store.updatePending = async (...args) => {
    if (++updates > 5) throw new Error('updatePending asked again and again');
    return updatePending(...args);
  };
  const again = await requestApproval(h.deps, refundRequest({ taskToken: 'token-retried' }));
  expect(again.resumedImmediately).toBe(true);
  expect(tasks.delivered.map((d) => [d.token, d.output.approved])).toEqual([['token-retried', false]]);
});
