/**
 * Lambda `aios-approval-reconcile`, on a schedule (every few minutes on AWS):
 * finishes decisions a crash left half-done — the audit record once, the
 * close, the SendTaskSuccess once (see shared/approvals/decision-effects.ts).
 *
 * Finishing a decision reads only what the approval records hold (approvers
 * by id, the task token): no people's names or emails, no rule or tool
 * wording. So the function reads nothing of the definition and carries none
 * of it (no definition module, no validation, no tools).
 */
import { reconcileApprovals } from '../../shared/approvals/decision-effects';
import { approvalDeps, type ApprovalDefinition } from '../../shared/composition/approvals';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';

/** The part of the definition reconciling reads: none. */
export const RECONCILE_DEFINITION: ApprovalDefinition = { people: [] };

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return loggedInvocation(async () => {
    const report = await reconcileApprovals(approvalDeps(env, RECONCILE_DEFINITION));
    if (report.failed.length) console.error(JSON.stringify({ level: 'ERROR', message: 'approval decisions left unfinished', failed: report.failed }));
    return report;
  }, runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
