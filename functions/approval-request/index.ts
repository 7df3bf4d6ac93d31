/**
 * Lambda `aios-approval-request`, invoked with `.waitForTaskToken`: stores
 * the approval with the task token and emails each approver their signed
 * link. The workflow waits until a decision sends SendTaskSuccess.
 * Invoked with `{ action: 'expire' }` when the workflow's deadline passed and
 * the definition says reject: closes the approval and audits it.
 */
import middy from '@middy/core';
import { expireApprovalOfCall, requestApproval } from '../../shared/approvals/approval-service';
import { approvalRequestDeps } from '../../shared/composition/approvals';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy(async (event: unknown) => {
    const deps = approvalRequestDeps(env, currentOs(env.vars));
    if (event && typeof event === 'object' && (event as { action?: unknown }).action === 'expire') return expireApprovalOfCall(deps, event);
    return requestApproval(deps, event);
  }).use(runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
