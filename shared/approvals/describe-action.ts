/**
 * The action an approver is asked about, in words: "refunds.issue: orderId
 * "A-1042", amount 120, currency "USD"" with the tool's own description
 * when known. Plain text; callers escape it for HTML.
 */
import type { Approval } from './approval';

function scalar(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? `[${value.length} items]` : '{…}';
}

/** One line naming the action and its main arguments. */
export function describeAction(approval: Pick<Approval, 'call' | 'subject' | 'stepId'>, toolDescription?: string): string {
  if (!approval.call) return approval.subject ?? `approve step "${approval.stepId}"`;
  const input = approval.call.input;
  const args =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.entries(input as Record<string, unknown>)
          .slice(0, 6)
          .map(([k, v]) => `${k} ${scalar(v)}`)
          .join(', ')
      : scalar(input);
  return `${approval.call.name}${toolDescription ? ` (${toolDescription.replace(/\.$/, '')})` : ''} with ${args || 'no input'}`;
}

/** Who asks: the agent, or the workflow for a plain approval step. */
export function requester(approval: Pick<Approval, 'agentId' | 'workflowId'>): string {
  return approval.agentId ? `agent "${approval.agentId}" in workflow "${approval.workflowId}"` : `workflow "${approval.workflowId}"`;
}
