/**
 * Deciding an approval survives a crash at any point (issue 18, defect 2),
 * and deciding one whose run stopped closes it without approving anything
 * (defect 11). The crash is a process that stops at the N-th call to its
 * ports (store, audit, Step Functions), before or after that call took
 * effect; a later process runs the reconciler over the same tables.
 */
import { AuditLog } from '../../../shared/audit';
import {
  ApprovalStore,
  decide,
  requestApproval,
  submitApproval,
  viewApproval,
  type ApprovalRequestDeps,
  type ApprovalOutcome,
} from '../../../shared/approvals';
import { reconcileApprovals } from '../../../shared/approvals/decision-effects';
import { RECONCILE_DEFINITION } from '../../../functions/approval-reconcile';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { AUDIT_KEY, formOf, harness, linkOf, refundRequest, T0, type AuditedDeps } from './fixture';

class Crash extends Error {}

/** Step Functions' side of task tokens: one success per token; later calls and stopped runs answer TaskTimedOut. */
class FakeTasks {
  readonly delivered: { token: string; output: ApprovalOutcome }[] = [];
  readonly stopped = new Set<string>();
  private readonly closed = new Set<string>();
  async sendTaskSuccess(token: string, output: ApprovalOutcome): Promise<void> {
    if (this.closed.has(token) || this.stopped.has(token)) throw Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
    this.closed.add(token);
    this.delivered.push({ token, output });
  }
  async isWaiting(token: string): Promise<boolean> {
    return !this.closed.has(token) && !this.stopped.has(token);
  }
}

/** Wraps every port method so that the process "dies" at call number `at`, before or after the call took effect. */
function dyingAt<T extends object>(target: T, counter: { calls: number; at: number; after: boolean; dead: boolean }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (counter.dead) throw new Crash('dead');
        counter.calls++;
        if (counter.calls === counter.at && !counter.after) {
          counter.dead = true;
          throw new Crash(`died before call ${counter.at}`);
        }
        const result = await (value as (...a: unknown[]) => unknown).apply(obj, args);
        if (counter.calls === counter.at && counter.after) {
          counter.dead = true;
          throw new Crash(`died after call ${counter.at}`);
        }
        return result;
      };
    },
  });
}

function depsOver(
  base: ApprovalRequestDeps,
  state: MemoryTable,
  audit: MemoryTable,
  tasks: FakeTasks,
  clock: { now: Date },
  counter?: { calls: number; at: number; after: boolean; dead: boolean },
): AuditedDeps {
  const store = new ApprovalStore(state);
  const log = new AuditLog(audit, () => clock.now, { key: async () => AUDIT_KEY });
  return {
    ...base,
    store: counter ? dyingAt(store, counter) : store,
    audit: counter ? dyingAt(log, counter) : log,
    notifier: counter ? dyingAt(tasks, counter) : tasks,
    now: () => clock.now,
  };
}

async function decisionScenario(at: number, after: boolean) {
  const h = harness();
  const tasks = new FakeTasks();
  const healthy = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
  const { approvalId } = await requestApproval(healthy, refundRequest({ approvers: ['sam', 'priya'], quorum: 2 }));
  await decide(healthy, { approvalId, approver: 'sam', vote: 'approve', via: 'web' });
  h.clock.now = new Date(h.clock.now.getTime() + 1000);
  const counter = { calls: 0, at, after, dead: false };
  const dying = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock, counter);
  let crashed = false;
  try {
    await decide(dying, { approvalId, approver: 'priya', vote: 'approve', comment: 'ok', via: 'cli' });
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
    crashed = true;
  }
  // The next process: the reconciler, once the note is old enough to be abandoned.
  h.clock.now = new Date(h.clock.now.getTime() + 60_000);
  const report = await reconcileApprovals(healthy);
  return { h, tasks, approvalId, crashed, report, healthy };
}

describe('deciding an approval is resumable after a crash at any step', () => {
  // More call numbers than a decision makes: the last ones do not crash at all.
  const points = Array.from({ length: 40 }, (_, i) => i + 1).flatMap((n) => [
    [n, false],
    [n, true],
  ]) as [number, boolean][];

  test.each(points)('dies at port call %i (after the call took effect: %s)', async (at, after) => {
    const { h, tasks, approvalId, crashed, report, healthy } = await decisionScenario(at, after);
    const approval = (await healthy.store.get(approvalId))!;
    const decided = (await healthy.audit.records('run-1')).filter((r) => r.kind === 'approval.decided');
    const priyaDecided = (await healthy.store.decisions(approvalId)).some((d) => d.approver === 'priya');
    if (!priyaDecided) {
      // Died before the decision was written: nothing happened; she can decide again.
      expect(approval.status).toBe('pending');
      expect(tasks.delivered).toHaveLength(0);
      expect(decided.map((r) => r.data.by)).toEqual(['sam']);
      return;
    }
    expect({ crashed, failed: report.failed }).toMatchObject({ failed: [] });
    expect(approval).toMatchObject({ status: 'approved', resume: 'done', decidedBy: ['sam', 'priya'] });
    expect(tasks.delivered).toHaveLength(1);
    expect(tasks.delivered[0].output).toMatchObject({ approved: true, approvalId, decidedBy: ['sam', 'priya'] });
    expect(decided.map((r) => [r.data.by, r.data.outcome])).toEqual([
      ['sam', 'pending'],
      ['priya', 'approved'],
    ]);
    expect((await healthy.audit.verify('run-1')).ok).toBe(true);
    expect(await healthy.store.todos()).toEqual([]);
    void h;
  });

  test('the crash points above cover every port call a decision makes', async () => {
    const h = harness();
    const tasks = new FakeTasks();
    const healthy = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
    const { approvalId } = await requestApproval(healthy, refundRequest({ approvers: ['sam', 'priya'], quorum: 2 }));
    await decide(healthy, { approvalId, approver: 'sam', vote: 'approve', via: 'web' });
    const counter = { calls: 0, at: Number.POSITIVE_INFINITY, after: false, dead: false };
    await decide(depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock, counter), { approvalId, approver: 'priya', vote: 'approve', via: 'cli' });
    expect(counter.calls).toBeGreaterThan(10);
    expect(counter.calls).toBeLessThan(40);
  });

  test('a person who submits again after the crash finishes the decision', async () => {
    const h = harness();
    const tasks = new FakeTasks();
    const healthy = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
    const { approvalId } = await requestApproval(healthy, refundRequest());
    // Dies right after the decision is written (markTodo, get… then recordDecision = call 3 after get).
    const counter = { calls: 0, at: 3, after: true, dead: false };
    await expect(
      decide(depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock, counter), { approvalId, approver: 'sam', vote: 'approve', via: 'web' }),
    ).rejects.toBeInstanceOf(Crash);
    expect((await healthy.store.get(approvalId))!.status).toBe('pending');
    const again = await decide(healthy, { approvalId, approver: 'sam', vote: 'approve', via: 'web' });
    expect(again.kind).toBe('already-decided');
    expect((await healthy.store.get(approvalId))!.status).toBe('approved');
    expect(tasks.delivered).toHaveLength(1);
  });

  test("the reconcile function's part of the definition (none) finishes a decision as the whole definition does", async () => {
    const h = harness();
    const tasks = new FakeTasks();
    const healthy = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
    const { approvalId } = await requestApproval(healthy, refundRequest());
    // Dies right after the decision is written, before it is closed, audited or resumed.
    const counter = { calls: 0, at: 3, after: true, dead: false };
    await expect(
      decide(depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock, counter), { approvalId, approver: 'sam', vote: 'approve', via: 'web' }),
    ).rejects.toBeInstanceOf(Crash);
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const bare = { ...healthy, people: RECONCILE_DEFINITION.people, ruleDescriptions: {}, toolDescribers: {} };
    expect(await reconcileApprovals(bare)).toEqual({ completed: 1, failed: [] });
    expect((await healthy.store.get(approvalId))!).toMatchObject({ status: 'approved', resume: 'done', decidedBy: ['sam'] });
    expect(tasks.delivered).toHaveLength(1);
    const decided = (await healthy.audit.records('run-1')).filter((r) => r.kind === 'approval.decided');
    expect(decided.map((r) => [r.data.by, r.data.outcome])).toEqual([['sam', 'approved']]);
  });

  test('the reconciler leaves a note young enough to belong to a decision in progress', async () => {
    const h = harness();
    const tasks = new FakeTasks();
    const healthy = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
    const { approvalId } = await requestApproval(healthy, refundRequest());
    await healthy.store.markTodo(approvalId, 'primary', 'sam', h.clock.now);
    expect(await reconcileApprovals(healthy)).toEqual({ completed: 0, failed: [] });
    expect(await healthy.store.todos()).toHaveLength(1);
  });
});

describe('an approval whose run stopped', () => {
  test('approving it on the page: a clear page, the approval closed, nothing recorded as approved, nothing resumed', async () => {
    const h = harness();
    const tasks = new FakeTasks();
    const deps = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
    await requestApproval(deps, refundRequest());
    tasks.stopped.add('token-primary');
    const { id, query } = linkOf(h.mail[0]);
    const form = formOf((await viewApproval(deps, id, query)).html);
    const page = await submitApproval(deps, id, { ...form, decision: 'approve' });
    expect(page.status).toBe(410);
    expect(page.html).toContain('the run has stopped');
    expect(page.html).toContain('Nothing was approved');
    const approval = (await deps.store.get(id))!;
    expect(approval.status).toBe('cancelled');
    expect(tasks.delivered).toHaveLength(0);
    const records = await deps.audit.records('run-1');
    expect(records.map((r) => r.kind)).toEqual(['approval.requested', 'approval.decided', 'approval.cancelled']);
    expect(records.some((r) => (r.data as { outcome?: string }).outcome === 'approved')).toBe(false);
    // Later visits say the same, and change nothing.
    expect((await viewApproval(deps, id, query)).status).toBe(410);
    expect((await decide(deps, { approvalId: id, approver: 'sam', vote: 'approve', via: 'cli' })).kind).toBe('closed');
    expect((await deps.audit.records('run-1')).length).toBe(3);
  });

  test('without a heartbeat check, a refused first resume still closes it as cancelled (no 500)', async () => {
    const h = harness();
    const tasks = new FakeTasks();
    const deps = depsOver(h.deps, h.stateTable, h.auditTable, tasks, h.clock);
    const noHeartbeat: AuditedDeps = { ...deps, notifier: { sendTaskSuccess: (t, o) => tasks.sendTaskSuccess(t, o) } };
    const { approvalId } = await requestApproval(noHeartbeat, refundRequest());
    tasks.stopped.add('token-primary');
    const result = await decide(noHeartbeat, { approvalId, approver: 'sam', vote: 'approve', via: 'web' });
    expect(result.kind === 'recorded' || result.kind === 'closed').toBe(true);
    expect((await deps.store.get(approvalId))!.status).toBe('cancelled');
    expect((await deps.audit.records('run-1')).map((r) => r.kind)).toContain('approval.cancelled');
  });
});

void T0;
