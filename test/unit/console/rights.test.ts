/**
 * The rights page: rules in order in plain words with their 30-day counts
 * and approval outcomes from the audit trail, and the explain form giving
 * exactly `aios rights explain`'s text (the same function), including a call
 * by an agent that does not have the tool: denied in both.
 */
import { currentOs } from '../../../functions/current-os';
import { explainCall, explainDefinition } from '../../../shared/rights/explain-call';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { EARNED_AUTONOMY_MIN_DECISIONS, earnedAutonomy, ruleInWords, ruleUse, type RuleUse } from '../../../shared/console/rights-view';
import { consoleHarness, signIn, T0 } from './console-harness';

function withRights(h: ReturnType<typeof consoleHarness>) {
  const os = currentOs();
  h.deps.definition.decisionRules = os.rules;
  h.deps.definition.toolIds = os.tools.map((t) => t.id);
  h.deps.definition.explain = (q, now) => explainCall(explainDefinition(os), q, { now, counters: new LimitCounters(new MemoryTable()) });
  return os;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

describe('rights page', () => {
  test('counts per rule and the approvals they led to, from the audit trail of the last 30 days', async () => {
    const h = consoleHarness();
    const a = h.deps.audit;
    const evaluated = (runId: string, decision: 'allow' | 'approve' | 'deny', ruleId: string | null, at: Date) =>
      a.append(runId, 'rights.evaluated', { tool: 'refunds.issue', agentId: 'triage', decision, ruleId, reason: 'r', inputDigest: 'd' }, at);
    await evaluated('r1', 'allow', 'small-refunds', T0);
    await evaluated('r1', 'approve', 'medium-refunds', T0);
    await a.append('r1', 'approval.requested', { approvalId: 'ap1', stage: 'primary', approvers: ['sam'], quorum: 1, deadline: T0.toISOString() }, T0);
    await a.append('r1', 'approval.decided', { approvalId: 'ap1', by: 'sam', decision: 'approve', via: 'web', outcome: 'approved' }, T0);
    await evaluated('r2', 'approve', 'medium-refunds', T0);
    await a.append('r2', 'approval.requested', { approvalId: 'ap2', stage: 'primary', approvers: ['sam'], quorum: 1, deadline: T0.toISOString() }, T0);
    await a.append('r2', 'approval.decided', { approvalId: 'ap2', by: 'sam', decision: 'reject', via: 'web', outcome: 'rejected' }, T0);
    await evaluated('r2', 'deny', null, T0);
    await evaluated('old', 'allow', 'small-refunds', new Date(T0.getTime() - 31 * 86_400_000));

    const records = [...(await a.records('r1')), ...(await a.records('r2')), ...(await a.records('old'))];
    const use = ruleUse(records, new Date(T0.getTime() - 30 * 86_400_000));
    expect(use.get('small-refunds')).toEqual({ allow: 1, approve: 0, deny: 0, approved: 0, rejected: 0, expired: 0, decisionTimesMs: [] });
    expect(use.get('medium-refunds')).toMatchObject({ allow: 0, approve: 2, deny: 0, approved: 1, rejected: 1, expired: 0 });
    expect(use.get(null)?.deny).toBe(1);

    withRights(h);
    const maya = await signIn(h, 'maya@kestrel.example');
    const res = await maya.get('/console/rights');
    expect(res.status).toBe(200);
    const row = /<tr data-rule="medium-refunds">[\s\S]*?<\/tr>/.exec(res.html)![0];
    // Each count carries its column's name, the label it shows under on a narrow screen.
    expect(row).toContain('<td data-count="approve" data-label="Asked">2</td>');
    expect(row).toContain('1 approved, 1 rejected');
    // In order, as the definition has them.
    const order = [...res.html.matchAll(/<tr data-rule="([^"]+)">/g)].map((m) => m[1]);
    expect(order).toEqual(currentOs().rules.map((r) => r.id));

    const sam = await signIn(h, 'sam@kestrel.example');
    expect((await sam.get('/console/rights')).status).toBe(403);
  });

  test("the explain form's answer is the CLI's text; an agent without the tool is denied before any rule", async () => {
    const h = consoleHarness();
    const os = withRights(h);
    const maya = await signIn(h, 'maya@kestrel.example');
    for (const q of [
      { toolId: 'refunds.issue', agentId: 'triage', input: '{"orderId":"KC-1","amount":64,"currency":"USD","reason":"lost"}', at: '2026-12-06T10:00:00Z' },
      { toolId: 'refunds.issue', agentId: 'research', input: '{"orderId":"KC-1","amount":10,"currency":"USD","reason":"lost"}', at: '2026-12-06T10:00:00Z' },
    ]) {
      const expected = await explainCall(explainDefinition(os), q, { now: T0, counters: new LimitCounters(new MemoryTable()) });
      const res = await maya.get(`/console/rights?${new URLSearchParams({ tool: q.toolId, agent: q.agentId, input: q.input, at: q.at })}`);
      const shown = unescape(/<pre class="explanation">([\s\S]*?)<\/pre>/.exec(res.html)![1]);
      expect(shown).toBe(expected);
      if (q.agentId === 'research') expect(shown).toMatch(/^decision: deny \(before any rule\)/);
    }
    const bad = await maya.get('/console/rights?tool=refunds.issue&input=not-json');
    expect(bad.html).toContain('is not JSON');
  });

  test('earned autonomy: a suggestion only when enough approvals were all approved; none after any rejection or time-out, or too few', () => {
    const rule = currentOs().rules.find((r) => r.id === 'medium-refunds')!;
    const use = (over: Partial<RuleUse>): RuleUse => ({
      allow: 0,
      approve: 23,
      deny: 0,
      approved: 23,
      rejected: 0,
      expired: 0,
      decisionTimesMs: Array.from({ length: 23 }, (_, i) => (i < 12 ? 3 : 5) * 3_600_000),
      ...over,
    });
    const s = earnedAutonomy(rule, use({}));
    expect(s?.evidence).toBe(`All 23 calls asked of ${rule.approvers!.join(', ')} by medium-refunds in 30 days were approved as asked, median decision 3.0 h.`);
    expect(s?.code).toContain(`id: "medium-refunds-earned"`);
    expect(s?.code).toContain(`when: ${JSON.stringify(rule.when)}`);
    expect(s?.code).toContain("outcome: 'allow'");
    expect(earnedAutonomy(rule, use({ approved: 22, rejected: 1 }))).toBeNull();
    expect(earnedAutonomy(rule, use({ approved: 22, expired: 1 }))).toBeNull();
    expect(earnedAutonomy(rule, use({ approve: EARNED_AUTONOMY_MIN_DECISIONS - 1, approved: EARNED_AUTONOMY_MIN_DECISIONS - 1 }))).toBeNull();
    expect(earnedAutonomy(rule, use({ approve: EARNED_AUTONOMY_MIN_DECISIONS, approved: EARNED_AUTONOMY_MIN_DECISIONS }))).not.toBeNull();
    expect(earnedAutonomy(rule, undefined)).toBeNull();
    // Only approve rules earn one.
    expect(
      earnedAutonomy(
        currentOs().rules.find((r) => r.id === 'small-refunds')!,
        use({}),
      ),
    ).toBeNull();
  });

  test('a rule in plain words', () => {
    const rule = currentOs().rules.find((r) => r.id === 'medium-refunds')!;
    expect(ruleInWords(rule)).toMatch(/^When .*calls refunds\.issue.* a person decides: /);
  });
});
