/**
 * Lambda `aios-approval-reconcile`, on a schedule (every few minutes on AWS):
 * finishes decisions a crash left half-done — the audit record once, the
 * close, the SendTaskSuccess once (see shared/approvals/decision-effects.ts).
 */
import middy from '@middy/core';
import { reconcileApprovals } from '../../shared/approvals/decision-effects';
import { approvalDeps } from '../../shared/composition/approvals';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy(async () => {
    const report = await reconcileApprovals(approvalDeps(env, currentOs(env.vars)));
    if (report.failed.length) console.error(JSON.stringify({ level: 'ERROR', message: 'approval decisions left unfinished', failed: report.failed }));
    return report;
  }).use(runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
