/**
 * Rights that do not trust the model: named lists and facts from the
 * definition, computed in the gate, used in `when`, audited with the
 * decision, shown by `rights explain`; a fact that fails denies the call.
 */
import { z } from 'zod';
import { formatExplanation } from '../../../cli/commands/rights';
import { gateToolCall, type GateDeps } from '../../../functions/tool-gate/gate';
import { AuditLog } from '../../../shared/audit/audit-log';
import { validateOs } from '../../../shared/definition';
import { compileRules } from '../../../shared/rights/compiled-rules';
import { evaluateRightsWithFacts } from '../../../shared/rights/evaluate-with-facts';
import { factsNeeded, refusalBeforeRules, type FactDefinition } from '../../../shared/rights/facts';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { decisionRulesSchema } from '../../../shared/rights/rule-schema';
import { MemoryTable } from '../../../shared/storage/memory-table';

const lists = { approvedVendors: ['V-100', 'V-200'] };
const looked: unknown[] = [];
const facts: Record<string, FactDefinition> = {
  vendorApproved: {
    description: 'the vendor is on the approved list',
    type: 'boolean',
    of: (input, ctx) => {
      looked.push(input);
      return ctx.lists.approvedVendors.includes((input as { vendorId: string }).vendorId);
    },
  },
  vendorRisk: {
    description: 'the risk score from the vendor API',
    type: 'number',
    of: async () => {
      throw new Error('the vendor API answered 503');
    },
  },
};
const rules = decisionRulesSchema.parse([
  { id: 'unknown-vendors', tool: 'payments.schedule', when: 'not facts.vendorApproved', outcome: 'deny', reason: 'Only approved vendors are paid.' },
  { id: 'small', tool: 'payments.schedule', when: 'amount <= 1000 and vendorId in lists.approvedVendors', outcome: 'allow' },
  { id: 'manager', tool: 'payments.schedule', outcome: 'approve', approvers: ['ana'] },
  { id: 'risky', tool: 'vendors.onboard', when: 'facts.vendorRisk > 5', outcome: 'deny' },
  { id: 'onboard', tool: 'vendors.onboard', outcome: 'allow' },
]);

function deps(): GateDeps & { audit: AuditLog; auditTable: MemoryTable } {
  const auditTable = new MemoryTable('audit');
  return {
    rules,
    people: [{ id: 'ana', roles: [] }],
    tools: [
      { id: 'payments.schedule', sideEffect: 'external' },
      { id: 'vendors.onboard', sideEffect: 'write' },
    ],
    agents: [
      { id: 'intake', tools: ['payments.schedule', 'vendors.onboard'] },
      { id: 'reader', tools: [] },
    ],
    counters: new LimitCounters(new MemoryTable('state')),
    audit: new AuditLog(auditTable),
    now: () => new Date('2026-12-07T16:00:00Z'),
    facts,
    lists,
    auditTable,
  };
}
const call = (name: string, input: unknown, agentId = 'intake') => ({
  runId: 'run-1',
  workflowId: 'invoice-intake',
  stepId: 'intake',
  agentId,
  call: { toolUseId: 't1', name, input },
});

describe('facts in decision rights', () => {
  it('the gate computes the facts the rules need, decides with them and audits them', async () => {
    const d = deps();
    expect(await gateToolCall(d, call('payments.schedule', { vendorId: 'V-999', amount: 50 }))).toMatchObject({ decision: 'deny', ruleId: 'unknown-vendors' });
    expect(await gateToolCall(d, call('payments.schedule', { vendorId: 'V-100', amount: 50 }))).toMatchObject({ decision: 'allow', ruleId: 'small' });
    const audited = (await d.audit.records('run-1')).map((r) => r.data as { ruleId: string; facts?: unknown });
    expect(audited.map((r) => [r.ruleId, r.facts])).toEqual([
      ['unknown-vendors', { vendorApproved: false }],
      ['small', { vendorApproved: true }],
    ]);
  });

  it('a model that writes its own facts into the input changes nothing', async () => {
    const d = deps();
    const forged = { vendorId: 'V-999', amount: 50, facts: { vendorApproved: true }, lists: { approvedVendors: ['V-999'] } };
    expect(await gateToolCall(d, call('payments.schedule', forged))).toMatchObject({ decision: 'deny', ruleId: 'unknown-vendors' });
  });

  it("only the facts the tool's rules read are computed; a failing fact denies the call, named in the reason and the audit", async () => {
    const compiled = compileRules(rules, [{ id: 'ana', roles: [] }]);
    expect(factsNeeded(compiled, 'payments.schedule')).toEqual(['vendorApproved']);
    expect(factsNeeded(compiled, 'vendors.onboard')).toEqual(['vendorRisk']);
    const d = deps();
    const decision = await gateToolCall(d, call('vendors.onboard', { name: 'Acme' }));
    expect(decision).toMatchObject({ decision: 'deny', ruleId: null });
    expect(decision.reason).toBe('denied because the rules need facts that could not be computed: facts.vendorRisk (the vendor API answered 503)');
    expect((await d.audit.records('run-1'))[0].data).toMatchObject({ decision: 'deny', reason: decision.reason });
  });

  it('a fact of the wrong type fails rather than being read', async () => {
    const wrong = { ...facts, vendorApproved: { ...facts.vendorApproved, of: () => 'yes' } };
    const e = await evaluateRightsWithFacts({
      rules,
      people: [{ id: 'ana', roles: [] }],
      tool: { id: 'payments.schedule', sideEffect: 'external' },
      agentId: 'intake',
      workflowId: null,
      input: { vendorId: 'V-100', amount: 5 },
      now: new Date(),
      counters: new LimitCounters(new MemoryTable()),
      factDefinitions: wrong,
      lists,
    });
    expect(e.factFailures).toEqual({ vendorApproved: 'gave "yes", not a boolean' });
    expect(e.decision).toBe('deny');
  });

  it('rights explain shows the facts, and refuses like the gate an agent without the tool', async () => {
    const e = await evaluateRightsWithFacts({
      rules,
      people: [{ id: 'ana', roles: [] }],
      tool: { id: 'payments.schedule', sideEffect: 'external' },
      agentId: 'intake',
      workflowId: null,
      input: { vendorId: 'V-999', amount: 5 },
      now: new Date(),
      counters: new LimitCounters(new MemoryTable()),
      factDefinitions: facts,
      lists,
      consume: false,
    });
    const text = formatExplanation('payments.schedule', e);
    expect(text).toContain('decision: deny (rule unknown-vendors)\n');
    expect(text).toContain('fact:     facts.vendorApproved = false\n');

    const gate = await gateToolCall(deps(), call('payments.schedule', { vendorId: 'V-100', amount: 5 }, 'reader'));
    expect(gate).toMatchObject({ decision: 'deny', ruleId: null });
    expect(refusalBeforeRules({ toolId: 'payments.schedule', agentId: 'reader' }, deps().tools, deps().agents)).toBe(gate.reason);
    expect(refusalBeforeRules({ toolId: 'payments.schedule', agentId: 'intake' }, deps().tools, deps().agents)).toBeUndefined();
  });
});

describe('facts and lists in the definition', () => {
  const definition = (when: string, extra: Record<string, unknown> = {}) => ({
    name: 'Northwind',
    people: [{ id: 'ana', name: 'Ana', email: 'ana@example.com', roles: ['office-manager'] }],
    tools: [
      {
        id: 'payments.schedule',
        description: 'Schedule a vendor payment',
        input: z.object({ vendorId: z.string(), amount: z.number() }),
        sideEffect: 'external',
        idempotent: true,
        handler: async () => ({}),
      },
    ],
    agents: [],
    knowledge: { namespaces: [] },
    lists,
    facts: { vendorApproved: facts.vendorApproved },
    rights: [{ id: 'r', tool: 'payments.schedule', when, outcome: 'allow' }],
    workflows: [],
    ...extra,
  });

  it('`when` may read declared facts and lists', () => {
    expect(validateOs(definition('facts.vendorApproved and vendorId in lists.approvedVendors and amount <= 10'))).toMatchObject({ ok: true });
  });

  it('an unknown fact or list, a fact compared with the wrong type, or a bad fact are reported with their path', () => {
    const problems = (d: unknown) => {
      const r = validateOs(d);
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(problems(definition('facts.vendorApprovd'))).toEqual([expect.stringMatching(/^rights\.r\.when: .*vendorApprovd.*vendorApproved/)]);
    expect(problems(definition('vendorId in lists.vendors'))).toEqual([expect.stringMatching(/^rights\.r\.when: .*lists\.vendors/)]);
    expect(problems(definition('facts.vendorApproved > 3'))).toEqual([expect.stringMatching(/^rights\.r\.when: /)]);
    expect(problems(definition('amount > 3', { facts: { bad: { description: 'x', type: 'date', of: 1 } } })).map((p) => p.split(':')[0])).toEqual([
      'facts.bad.type',
      'facts.bad.of',
    ]);
  });
});
