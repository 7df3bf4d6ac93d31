/**
 * The approval request's Lambda handler over the part of the definition the
 * approval service reads (people, rule descriptions, each tool's `describe`).
 * index.ts gives it the whole definition; a deployment gives it that part,
 * written at synth (infra/definition-entries.ts).
 */
import middy from '@middy/core';
import { expireApprovalOfCall, requestApproval } from '../../shared/approvals/approval-service';
import { runtimeApprovalDeps, type ApprovalDefinition } from '../../shared/approvals/runtime-deps';
import { runLogging } from '../run-logging';

export function approvalRequestHandler(definition: () => ApprovalDefinition) {
  return middy(async (event: unknown) => {
    const deps = runtimeApprovalDeps(definition());
    if (event && typeof event === 'object' && (event as { action?: unknown }).action === 'expire') return expireApprovalOfCall(deps, event);
    return requestApproval(deps, event);
  }).use(runLogging());
}
