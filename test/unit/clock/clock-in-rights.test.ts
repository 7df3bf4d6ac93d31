/**
 * The local clock where time decides: a rights window (a weekend rule that
 * made the approval path impossible to try on a Sunday), a rolling limit, and
 * an approval deadline — all read the clock the runtime is given
 * (AIOS_CLOCK through the composition root's approvalDeps and the tool gate).
 */
import { requestApproval } from '../../../shared/approvals';
import { approvalDeps } from '../../../shared/composition/approvals';
import { parseEnvironment } from '../../../shared/composition/environment';
import { AuditLog } from '../../../shared/audit/audit-log';
import { clockFrom, clockFromEnv } from '../../../shared/clock/local-clock';
import { gateToolCall, type GateDeps } from '../../../functions/tool-gate/gate';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { decisionRulesSchema } from '../../../shared/rights/rule-schema';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { harness, refundRequest } from '../approvals/fixture';

const rules = decisionRulesSchema.parse([
  {
    id: 'no-weekend-payments',
    tool: 'payments.schedule',
    window: { days: ['sat', 'sun'], timeZone: 'America/Chicago' },
    outcome: 'deny',
    reason: 'Not on weekends.',
  },
  { id: 'small', tool: 'payments.schedule', when: 'amount <= 1000', limit: { count: 1, per: 'day', scope: 'tool' }, outcome: 'allow' },
  { id: 'manager', tool: 'payments.schedule', outcome: 'approve', approvers: ['ana'] },
]);

function gate(now: () => Date): GateDeps {
  const state = new MemoryTable('state');
  return {
    rules,
    people: [{ id: 'ana', roles: [] }],
    tools: [{ id: 'payments.schedule', sideEffect: 'external' }],
    agents: [{ id: 'intake', tools: ['payments.schedule'] }],
    counters: new LimitCounters(state),
    audit: new AuditLog(new MemoryTable('audit'), now),
    now,
  };
}
const call = (n: number, amount: number) => ({
  runId: `run-${n}`,
  workflowId: 'invoice-intake',
  stepId: 'intake',
  agentId: 'intake',
  call: { toolUseId: `t${n}`, name: 'payments.schedule', input: { amount } },
});

describe('the clock in decision rights', () => {
  it('a Sunday clock meets the weekend rule; a Monday clock reaches the approval path', async () => {
    const sunday = gate(clockFrom('2026-12-06T10:00:00-06:00'));
    expect(await gateToolCall(sunday, call(1, 2400))).toMatchObject({ decision: 'deny', ruleId: 'no-weekend-payments' });
    const monday = gate(clockFrom('2026-12-07T10:00:00-06:00'));
    expect(await gateToolCall(monday, call(1, 2400))).toMatchObject({ decision: 'approve', ruleId: 'manager' });
  });

  it("a daily limit counts in the clock's day: a second small payment the same day asks, the next day is free again", async () => {
    let real = 0;
    const now = clockFrom('2026-12-07T10:00:00-06:00', () => real);
    const deps = gate(now);
    expect(await gateToolCall(deps, call(1, 500))).toMatchObject({ decision: 'allow', ruleId: 'small' });
    expect(await gateToolCall(deps, call(2, 500))).toMatchObject({ decision: 'approve', ruleId: 'manager' });
    real += 25 * 3600 * 1000;
    expect(await gateToolCall(deps, call(3, 500))).toMatchObject({ decision: 'allow', ruleId: 'small' });
  });

  it('an approval deadline is counted from the clock', async () => {
    const h = harness();
    const deps = { ...h.deps, now: clockFrom('2026-12-07T10:00:00-06:00', () => 0) };
    const { approvalId } = await requestApproval(deps, refundRequest({ timeoutSeconds: 4 * 3600 }));
    expect((await deps.store.get(approvalId))!.deadline).toBe('2026-12-07T20:00:00.000Z');
  });

  it('the approval service of the composition root reads AIOS_CLOCK from its environment', () => {
    const deps = approvalDeps(parseEnvironment({ AIOS_CLOCK: '2026-12-07T10:00:00Z' }), { people: [] });
    expect(Math.abs(deps.now!().getTime() - Date.parse('2026-12-07T10:00:00Z'))).toBeLessThan(60_000);
    expect(clockFromEnv({})().getFullYear()).toBe(new Date().getFullYear());
  });
});
