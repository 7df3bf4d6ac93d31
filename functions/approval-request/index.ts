/**
 * Lambda `aios-approval-request`, invoked with `.waitForTaskToken`: stores
 * the approval with the task token and emails each approver their signed
 * link. The workflow waits until a decision sends SendTaskSuccess.
 * Invoked with `{ action: 'expire' }` when the workflow's deadline passed and
 * the definition says reject: closes the approval and audits it.
 */
import middy from '@middy/core';
import { runLogging } from '../run-logging';
import { expireApprovalOfCall, requestApproval } from '../../shared/approvals/approval-service';
import { runtimeApprovalDeps } from '../../shared/approvals/runtime-deps';
import { currentOs } from '../current-os';

export const handler = middy(async (event: unknown) => {
  const deps = runtimeApprovalDeps(currentOs());
  if (event && typeof event === 'object' && (event as { action?: unknown }).action === 'expire') return expireApprovalOfCall(deps, event);
  return requestApproval(deps, event);
}).use(runLogging());
