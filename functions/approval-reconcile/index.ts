/**
 * Lambda `aios-approval-reconcile`, on a schedule (every few minutes on AWS):
 * finishes decisions a crash left half-done — the audit record once, the
 * close, the SendTaskSuccess once (see shared/approvals/decision-effects.ts).
 */
import middy from '@middy/core';
import { reconcileApprovals } from '../../shared/approvals/decision-effects';
import { runtimeApprovalDeps } from '../../shared/approvals/runtime-deps';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';

export const handler = middy(async () => {
  const report = await reconcileApprovals(runtimeApprovalDeps(currentOs()));
  if (report.failed.length) console.error(JSON.stringify({ level: 'ERROR', message: 'approval decisions left unfinished', failed: report.failed }));
  return report;
}).use(runLogging());
