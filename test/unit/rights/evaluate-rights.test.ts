import { createHash } from 'node:crypto';
import { evaluateRights, type EvaluateRightsRequest } from '../../../shared/rights/evaluate-rights';
import { canonicalJson, inputDigest } from '../../../shared/rights/input-digest';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { decisionRulesSchema } from '../../../shared/rights/rule-schema';
import { MemoryTable } from '../../../shared/storage/memory-table';

const people = [
  { id: 'maya', roles: ['owner', 'admin'] },
  { id: 'sam', roles: ['support-lead'] },
  { id: 'priya', roles: ['finance'] },
  { id: 'leo', roles: ['sales'] },
];

const rules = decisionRulesSchema.parse([
  {
    id: 'no-refunds-to-gift-cards',
    tool: 'refunds.issue',
    when: 'reason == "gift card"',
    outcome: 'deny',
    reason: 'refunds go to the original payment method',
  },
  {
    id: 'refund-small',
    tool: 'refunds.issue',
    when: 'amount <= 50',
    outcome: 'allow',
    limit: { sum: { field: 'amount', max: 100 }, per: 'day', scope: 'tool' },
  },
  { id: 'refund-medium', tool: 'refunds.issue', when: 'amount <= 500', outcome: 'approve', approvers: ['role:support-lead'], timeout: '4h' },
  {
    id: 'refund-large',
    tool: 'refunds.issue',
    outcome: 'approve',
    approvers: ['role:finance'],
    timeout: '24h',
    onTimeout: { escalateTo: ['role:owner'], timeout: '24h' },
  },
  {
    id: 'replies-office-hours',
    tool: 'tickets.*',
    agent: 'triage',
    window: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], hours: { from: '09:00', to: '17:00' }, timeZone: 'America/Los_Angeles' },
    outcome: 'allow',
  },
  { id: 'replies-otherwise', tool: 'tickets.*', outcome: 'approve', approvers: ['sam'] },
  { id: 'notes-capped', tool: 'crm.note', limit: { count: 2, per: 'hour', scope: 'tool+agent' }, outcome: 'allow' },
  { id: 'never-email-from-support', tool: 'email.send', workflow: 'support-*', outcome: 'deny' },
]);

// Wednesday 2025-01-15 10:30 in Los Angeles (18:30 UTC).
const WEDNESDAY_MORNING = new Date('2025-01-15T18:30:00Z');

function request(over: Partial<EvaluateRightsRequest> & { input: unknown }): EvaluateRightsRequest {
  return {
    rules,
    people,
    tool: { id: 'refunds.issue', sideEffect: 'external' },
    agentId: 'triage',
    workflowId: 'support-desk',
    now: WEDNESDAY_MORNING,
    counters: new LimitCounters(new MemoryTable()),
    ...over,
  };
}

describe('evaluateRights', () => {
  test('$30 refund is allowed by refund-small; earlier rules explain why they did not match', async () => {
    const d = await evaluateRights(request({ input: { orderId: 'o1', amount: 30, currency: 'USD', reason: 'damaged' } }));
    expect(d).toMatchObject({ decision: 'allow', ruleId: 'refund-small', approval: null });
    expect(d.reason).toBe('rule "refund-small" allows');
    expect(d.trace).toEqual([
      { ruleId: 'no-refunds-to-gift-cards', outcome: 'deny', matched: false, why: 'when `reason == "gift card"` is false (reason = "damaged")' },
      { ruleId: 'refund-small', outcome: 'allow', matched: true, why: 'rule "refund-small" allows' },
    ]);
    expect(d.inputDigest).toBe(inputDigest({ orderId: 'o1', amount: 30, currency: 'USD', reason: 'damaged' }));
  });

  test('$120 refund needs the support lead; $800 needs finance then escalates to the owner', async () => {
    const medium = await evaluateRights(request({ input: { orderId: 'o1', amount: 120 } }));
    expect(medium).toMatchObject({
      decision: 'approve',
      ruleId: 'refund-medium',
      approval: { approvers: ['sam'], quorum: 1, timeoutSeconds: 4 * 3600, onTimeout: 'reject', escalation: null },
    });
    expect(medium.trace[1].why).toBe('when `amount <= 50` is false (amount = 120)');
    const large = await evaluateRights(request({ input: { orderId: 'o1', amount: 800 } }));
    expect(large).toMatchObject({
      decision: 'approve',
      ruleId: 'refund-large',
      approval: {
        approvers: ['priya'],
        quorum: 1,
        timeoutSeconds: 86_400,
        onTimeout: 'escalate',
        escalation: { approvers: ['maya'], quorum: 1, timeoutSeconds: 86_400 },
      },
    });
  });

  test('a forbidden refund is denied with the rule reason', async () => {
    const d = await evaluateRights(request({ input: { orderId: 'o1', amount: 10, reason: 'gift card' } }));
    expect(d).toMatchObject({
      decision: 'deny',
      ruleId: 'no-refunds-to-gift-cards',
      reason: 'rule "no-refunds-to-gift-cards" denies: refunds go to the original payment method',
    });
  });

  test('a sum limit is consumed only by allowed calls; once reached the next rule applies', async () => {
    const counters = new LimitCounters(new MemoryTable());
    const go = (amount: number) => evaluateRights(request({ counters, input: { amount } }));
    expect((await go(40)).ruleId).toBe('refund-small');
    expect((await go(45)).ruleId).toBe('refund-small');
    const third = await go(30); // 85 + 30 > 100
    expect(third.ruleId).toBe('refund-medium');
    expect(third.trace[1].why).toBe('limit reached: 85 + 30 amount would exceed 100 in the last day');
    expect((await go(15)).ruleId).toBe('refund-small'); // exactly 100
    // the window rolls: a day later the allowance is back
    const later = await evaluateRights(request({ counters, input: { amount: 50 }, now: new Date(WEDNESDAY_MORNING.getTime() + 86_400_000 + 900_000) }));
    expect(later.ruleId).toBe('refund-small');
  });

  test('explain (consume: false) checks limits without using them', async () => {
    const counters = new LimitCounters(new MemoryTable());
    for (let i = 0; i < 5; i++) expect((await evaluateRights(request({ counters, consume: false, input: { amount: 50 } }))).ruleId).toBe('refund-small');
    expect((await evaluateRights(request({ counters, input: { amount: 50 } }))).ruleId).toBe('refund-small');
    expect((await evaluateRights(request({ counters, input: { amount: 50 } }))).ruleId).toBe('refund-small');
    expect((await evaluateRights(request({ counters, consume: false, input: { amount: 1 } }))).ruleId).toBe('refund-medium');
  });

  test('a count limit per tool+agent: separate allowance per agent', async () => {
    const counters = new LimitCounters(new MemoryTable());
    const note = (agentId: string) =>
      evaluateRights(request({ counters, agentId, tool: { id: 'crm.note', sideEffect: 'write' }, input: { contactId: 'c', body: 'x' } }));
    expect((await note('triage')).decision).toBe('allow');
    expect((await note('triage')).decision).toBe('allow');
    const third = await note('triage');
    expect(third).toMatchObject({ decision: 'deny', ruleId: null });
    expect(third.trace.find((t) => t.ruleId === 'notes-capped')?.why).toBe('limit reached: 2 of 2 calls in the last hour');
    expect((await note('research')).decision).toBe('allow');
  });

  test('concurrent calls cannot overrun a limit', async () => {
    const counters = new LimitCounters(new MemoryTable());
    const results = await Promise.all(
      Array.from({ length: 10 }, () => evaluateRights(request({ counters, tool: { id: 'crm.note', sideEffect: 'write' }, input: {} }))),
    );
    expect(results.filter((r) => r.decision === 'allow')).toHaveLength(2);
  });

  test('time windows use the rule time zone', async () => {
    const reply = (now: Date) => evaluateRights(request({ now, tool: { id: 'tickets.reply', sideEffect: 'external' }, input: { ticketId: 't', body: 'hi' } }));
    expect((await reply(WEDNESDAY_MORNING)).ruleId).toBe('replies-office-hours');
    // 08:59 in LA
    const early = await reply(new Date('2025-01-15T16:59:00Z'));
    expect(early.ruleId).toBe('replies-otherwise');
    expect(early.trace.find((t) => t.ruleId === 'replies-office-hours')?.why).toBe(
      'outside the time window: wed 08:59 America/Los_Angeles is outside 09:00–17:00',
    );
    // Saturday 10:30 LA
    const saturday = await reply(new Date('2025-01-18T18:30:00Z'));
    expect(saturday.trace.find((t) => t.ruleId === 'replies-office-hours')?.why).toBe(
      'outside the time window: sat 10:30 America/Los_Angeles is not on mon, tue, wed, thu, fri',
    );
    // Summer time: 09:30 PDT is 16:30 UTC
    expect((await reply(new Date('2025-07-16T16:30:00Z'))).ruleId).toBe('replies-office-hours');
  });

  test('overnight windows span midnight', async () => {
    const night = decisionRulesSchema.parse([{ id: 'night', window: { hours: { from: '22:00', to: '06:00' }, timeZone: 'UTC' }, outcome: 'deny' }]);
    const at = (iso: string) => evaluateRights(request({ rules: night, input: {}, now: new Date(iso) }));
    expect((await at('2025-01-15T23:00:00Z')).ruleId).toBe('night');
    expect((await at('2025-01-15T05:59:00Z')).ruleId).toBe('night');
    expect((await at('2025-01-15T06:00:00Z')).ruleId).toBeNull();
  });

  test('agent and workflow globs; a call from no agent does not match an agent rule', async () => {
    const email = (workflowId: string | null, agentId: string | null) =>
      evaluateRights(request({ workflowId, agentId, tool: { id: 'email.send', sideEffect: 'external' }, input: {} }));
    expect((await email('support-desk', 'triage')).ruleId).toBe('never-email-from-support');
    const sales = await email('sales-follow-up', 'research');
    expect(sales).toMatchObject({
      decision: 'deny',
      ruleId: null,
      reason: 'no rule allows "email.send", a tool with side effects (external), so it is denied',
    });
    expect(sales.trace.at(-1)?.why).toBe('workflow "sales-follow-up" does not match support-*');
    const noAgent = await evaluateRights(request({ agentId: null, tool: { id: 'tickets.reply', sideEffect: 'external' }, input: {} }));
    expect(noAgent.trace.find((t) => t.ruleId === 'replies-office-hours')?.why).toBe('the call comes from no agent, the rule needs agent triage');
  });

  test('default: read tools allowed, write and external tools denied', async () => {
    const read = await evaluateRights(request({ tool: { id: 'knowledge.search', sideEffect: 'read' }, input: { q: 'x' } }));
    expect(read).toMatchObject({ decision: 'allow', ruleId: null });
    expect(read.reason).toContain('read tools are allowed by default');
    expect((await evaluateRights(request({ tool: { id: 'knowledge.remember', sideEffect: 'write' }, input: {} }))).decision).toBe('deny');
  });

  test('quorum 2 of a role; a quorum larger than the approvers fails closed', async () => {
    const two = decisionRulesSchema.parse([{ id: 'two', outcome: 'approve', approvers: ['role:owner', 'priya'], quorum: 2 }]);
    expect((await evaluateRights(request({ rules: two, input: {} }))).approval).toMatchObject({ approvers: ['maya', 'priya'], quorum: 2 });
    const three = decisionRulesSchema.parse([{ id: 'three', outcome: 'approve', approvers: ['role:owner', 'maya'], quorum: 2 }]);
    const d = await evaluateRights(request({ rules: three, input: {} }));
    expect(d).toMatchObject({ decision: 'deny', ruleId: 'three', approval: null });
    expect(d.reason).toContain('quorum 2 cannot be reached: only 1 approvers (maya)');
    const ghost = decisionRulesSchema.parse([{ id: 'ghost', outcome: 'approve', approvers: ['role:legal'] }]);
    expect((await evaluateRights(request({ rules: ghost, input: {} }))).reason).toContain('nobody has role "legal"');
  });

  test('a sum limit over a non-numeric field does not match', async () => {
    const capped = decisionRulesSchema.parse([{ id: 'capped', outcome: 'allow', limit: { sum: { field: 'amount', max: 100 }, per: 'day', scope: 'agent' } }]);
    const d = await evaluateRights(request({ rules: capped, input: { amount: '20' } }));
    expect(d.decision).toBe('deny');
    expect(d.trace[0].why).toBe('the limit sums "amount" but the input\'s amount is "20", not a non-negative number');
    expect((await evaluateRights(request({ rules: capped, input: { amount: -5 } }))).decision).toBe('deny');
  });
});

describe('inputDigest', () => {
  test('is sha256 of canonical JSON: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(inputDigest({ a: 1, b: 2 })).toBe(inputDigest({ b: 2, a: 1 }));
    expect(inputDigest({ a: 1, b: 2 })).toBe(createHash('sha256').update('{"a":1,"b":2}').digest('hex'));
    expect(inputDigest({ amount: 120 })).not.toBe(inputDigest({ amount: 1200 }));
  });
});
