/**
 * The local runtime's approval reconciler: once at start (finishing what the
 * previous process left half-done when it was killed) and then periodically,
 * it completes decisions whose close, audit record or resume was interrupted.
 * On AWS the scheduled `aios-approval-reconcile` function does the same.
 */
import { reconcileApprovals } from '../shared/approvals/decision-effects';
import type { ApprovalDeps } from '../shared/approvals/approval-service';

export interface RunningReconciler {
  stop(): Promise<void>;
}

export function startApprovalReconciler(deps: () => ApprovalDeps, options: { intervalMs?: number } = {}): RunningReconciler {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = (minAgeMs: number) => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const report = await reconcileApprovals(deps(), { minAgeMs });
        if (report.completed) process.stderr.write(`approvals: finished ${report.completed} interrupted decision(s)\n`);
        for (const f of report.failed) process.stderr.write(`approvals: decision on ${f.approvalId} by ${f.approver} still unfinished: ${f.error}\n`);
      } catch (error) {
        process.stderr.write(`approvals: reconciling failed: ${(error as Error).message}\n`);
      }
    });
  };
  // At start nothing of this process is in flight: every note is from before.
  pass(0);
  const timer = setInterval(() => pass(30_000), options.intervalMs ?? 30_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
