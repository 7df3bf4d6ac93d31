/** An approval as the store holds it, for tests that render or check one without asking for it through the service. */
import type { Approval } from '../../shared/approvals';

export function anApproval(over: Partial<Approval> = {}): Approval {
  return {
    id: 'a1',
    status: 'pending',
    stage: 'primary',
    taskToken: 't',
    runId: 'run-1',
    workflowId: 'support-desk',
    stepId: 'triage',
    agentId: 'triage',
    call: { toolUseId: 'tu', name: 'refunds.issue', input: { orderId: 'KC-10482', amount: 64 } },
    action: 'Refund $64.00 on order KC-10482',
    reason: 'The order never arrived.',
    inputDigest: null,
    subject: null,
    details: null,
    approvers: ['sam'],
    quorum: 1,
    deadline: '2026-12-06T14:00:00Z',
    createdAt: '2026-12-06T10:00:00Z',
    stageStartedAt: '2026-12-06T10:00:00Z',
    history: [],
    ...over,
  };
}
