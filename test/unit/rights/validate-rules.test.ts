import { z } from 'zod';
import { decisionRulesSchema } from '../../../shared/rights/rule-schema';
import { validateRules, type RuleContext } from '../../../shared/rights/validate-rules';

const ctx: RuleContext = {
  people: [
    { id: 'maya', roles: ['owner'] },
    { id: 'sam', roles: ['support-lead'] },
    { id: 'priya', roles: ['finance'] },
  ],
  tools: [
    { id: 'refunds.issue', input: z.object({ orderId: z.string(), amount: z.number(), currency: z.enum(['USD']), reason: z.string() }) },
    { id: 'tickets.reply', input: z.object({ ticketId: z.string(), body: z.string() }) },
    { id: 'crm.note', input: z.object({ contactId: z.string(), body: z.string() }) },
  ],
  agents: [{ id: 'triage' }, { id: 'research' }],
  workflows: ['support-desk', 'sales-follow-up'],
};

const check = (rules: unknown[]) => validateRules(decisionRulesSchema.parse(rules), ctx);

test('a consistent rule list has no problems', () => {
  expect(
    check([
      {
        id: 'small',
        tool: 'refunds.issue',
        when: 'amount <= 50 and currency == "USD"',
        outcome: 'allow',
        limit: { sum: { field: 'amount', max: 500 }, per: 'day', scope: 'tool' },
      },
      { id: 'notes', tool: ['tickets.*', 'crm.*'], agent: 'triage', workflow: 'support-*', when: 'body != ""', outcome: 'allow' },
      { id: 'big', tool: 'refunds.*', outcome: 'approve', approvers: ['role:finance', 'sam'], quorum: 2, onTimeout: { escalateTo: ['maya'], timeout: '1d' } },
      { id: 'rest', outcome: 'deny' },
    ]),
  ).toEqual([]);
});

test('reports unknown targets, bad fields, unreachable approvers and shadowed rules', () => {
  expect(
    check([
      { id: 'typo', tool: 'refund.issue', outcome: 'allow' },
      { id: 'field', tool: 'refunds.issue', when: 'ammount <= 50', outcome: 'allow' },
      { id: 'type', tool: 'refunds.issue', when: 'amount <= "50"', outcome: 'allow' },
      { id: 'sum', tool: 'refunds.issue', outcome: 'allow', limit: { sum: { field: 'reason', max: 5 }, per: 'day', scope: 'tool' } },
      { id: 'who', agent: 'sales', workflow: 'billing', outcome: 'allow' },
      { id: 'quorum', tool: 'refunds.issue', outcome: 'approve', approvers: ['role:finance'], quorum: 2 },
      { id: 'ghost', tool: 'refunds.issue', outcome: 'approve', approvers: ['bob'] },
      { id: 'all', tool: '*', outcome: 'deny' },
      { id: 'after', tool: 'crm.note', outcome: 'allow' },
    ]),
  ).toEqual([
    { path: 'typo.tool', message: 'refund.issue matches no tool (tools: refunds.issue, tickets.reply, crm.note)' },
    { path: 'field.when', message: expect.stringContaining('field "ammount" is not in the tool input') },
    { path: 'type.when', message: expect.stringContaining('"<=" compares number with string') },
    { path: 'sum.limit.sum.field', message: expect.stringContaining('">=" compares string with number') },
    { path: 'who.agent', message: 'sales matches no agent (agents: triage, research)' },
    { path: 'who.workflow', message: 'billing matches no workflow (workflows: support-desk, sales-follow-up)' },
    { path: 'quorum.approvers', message: 'quorum 2 cannot be reached: only 1 approvers (priya)' },
    { path: 'ghost.approvers', message: expect.stringContaining('approver "bob" is not a person') },
    { path: 'after.id', message: 'never applies: rule "all" before it matches every call' },
  ]);
});

test('a when over several tools reports only fields missing from all of them', () => {
  expect(check([{ id: 'x', tool: ['tickets.reply', 'crm.note'], when: 'ticketId != null', outcome: 'allow' }])).toEqual([]);
  expect(check([{ id: 'x', tool: ['tickets.reply', 'crm.note'], when: 'nope != null', outcome: 'allow' }])).toHaveLength(1);
});
