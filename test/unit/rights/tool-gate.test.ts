import { gateToolCall, type GateDeps } from '../../../functions/tool-gate/gate';
import { AuditLog } from '../../../shared/audit';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { decisionRulesSchema } from '../../../shared/rights/rule-schema';
import { MemoryTable } from '../../../shared/storage/memory-table';

function deps(): GateDeps & { audit: AuditLog } {
  return {
    rules: decisionRulesSchema.parse([
      { id: 'refund-small', tool: 'refunds.issue', when: 'amount <= 50', outcome: 'allow' },
      { id: 'refund-medium', tool: 'refunds.issue', when: 'amount <= 500', outcome: 'approve', approvers: ['role:support-lead'] },
    ]),
    people: [{ id: 'sam', roles: ['support-lead'] }],
    tools: [
      { id: 'refunds.issue', sideEffect: 'external' },
      { id: 'crm.note', sideEffect: 'write' },
    ],
    agents: [{ id: 'triage', tools: ['refunds.issue'] }],
    counters: new LimitCounters(new MemoryTable()),
    audit: new AuditLog(new MemoryTable(), () => new Date('2025-01-15T10:00:00Z')),
    now: () => new Date('2025-01-15T10:00:00Z'),
  };
}
const call = (name: string, input: unknown, agentId: string | null = 'triage') => ({
  runId: 'run-1',
  workflowId: 'support-desk',
  stepId: 'triage',
  agentId,
  call: { toolUseId: 'tu-1', name, input, reason: 'customer asked' },
});

test('decides with the contract shape and audits the rule', async () => {
  const d = deps();
  const out = await gateToolCall(d, call('refunds.issue', { amount: 120 }));
  expect(out).toEqual({
    decision: 'approve',
    ruleId: 'refund-medium',
    reason: 'rule "refund-medium" requires approval',
    inputDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    approval: { approvers: ['sam'], quorum: 1, timeoutSeconds: 86_400, onTimeout: 'reject', escalation: null },
  });
  const [record] = await d.audit.records('run-1');
  expect(record).toMatchObject({
    kind: 'rights.evaluated',
    data: { tool: 'refunds.issue', decision: 'approve', ruleId: 'refund-medium', agentReason: 'customer asked', inputDigest: out.inputDigest },
  });
});

test('fails closed: unknown tool, tool not given to the agent, malformed input', async () => {
  const d = deps();
  expect(await gateToolCall(d, call('refunds.issue2', {}))).toMatchObject({ decision: 'deny', reason: 'there is no tool "refunds.issue2"' });
  expect(await gateToolCall(d, call('crm.note', {}))).toMatchObject({ decision: 'deny', reason: 'agent "triage" is not given the tool "crm.note"' });
  expect((await d.audit.records('run-1')).map((r) => r.data.decision)).toEqual(['deny', 'deny']);
  await expect(gateToolCall(d, { runId: 'run-1' })).rejects.toMatchObject({ code: 'ToolGate.InvalidInput' });
});
