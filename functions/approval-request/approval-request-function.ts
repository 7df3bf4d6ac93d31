/**
 * The approval request's Lambda handler over the part of the definition the
 * approval service reads (people, rule descriptions, each tool's `describe`).
 * index.ts gives it the whole definition; a deployment gives it that part,
 * written at synth (infra/definition-entries.ts).
 */
import { expireApprovalOfCall, requestApproval } from '../../shared/approvals/approval-service';
import { approvalRequestDeps, type ApprovalDefinition } from '../../shared/composition/approvals';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';

export function approvalRequestHandler(env: AiosEnvironment, definition: () => ApprovalDefinition) {
  return loggedInvocation(async (event: unknown) => {
    const deps = approvalRequestDeps(env, definition());
    if (event && typeof event === 'object' && (event as { action?: unknown }).action === 'expire') return expireApprovalOfCall(deps, event);
    return requestApproval(deps, event);
  }, runLogging());
}
