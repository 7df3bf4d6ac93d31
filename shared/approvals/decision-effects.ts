/**
 * What follows a recorded decision, as an idempotent sequence that any
 * process may run again after a crash: close the approval when the stage is
 * settled (with the resume it owes written in the same conditional write),
 * write each decision's `approval.decided` audit record once, then resume the
 * waiting task once. `completeApproval` runs it for one approval: the page
 * and the CLI call it right after recording a decision, the reconciler for
 * every decision a crash left unfinished.
 *
 * Resuming: Step Functions answers a second SendTaskSuccess on a token with
 * TaskTimedOut, and so does a token of a run that stopped; the two are told
 * apart by state. Before closing, a heartbeat asks whether the run still
 * waits (if not, the approval is `cancelled` and nothing is approved); a
 * resume that was never attempted and is refused means the run stopped in
 * between; one that was attempted before (`sending`) may have been
 * delivered, and is then done.
 */
import type { Approval, ApprovalDecision, ApprovalOutcome, ApprovalStage } from './approval';
import { tally } from './approval';
import type { ApprovalDeps } from './approval-service';

/** Error names with which Step Functions says a token no longer has a waiting task. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export function isTaskGone(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | null;
  return !!e && (TASK_GONE.has(String(e.name)) || TASK_GONE.has(String(e.code)));
}

const RUN_STOPPED = 'the run was no longer waiting for this approval (it was stopped, failed or timed out)';

function byTime(a: ApprovalDecision, b: ApprovalDecision): number {
  return a.at.localeCompare(b.at);
}

export async function outcomeOf(deps: ApprovalDeps, approval: Approval): Promise<ApprovalOutcome> {
  const decisions = (await deps.store.decisions(approval.id, approval.stage)).sort(byTime);
  return {
    approved: approval.status === 'approved',
    approvalId: approval.id,
    decidedBy: approval.decidedBy ?? [],
    comments: decisions.filter((d) => d.comment).map((d) => ({ by: d.approver, text: d.comment! })),
    decidedAt: approval.decidedAt ?? (deps.now ? deps.now() : new Date()).toISOString(),
  };
}

async function stillWaiting(deps: ApprovalDeps, approval: Approval): Promise<boolean> {
  return deps.notifier.isWaiting ? deps.notifier.isWaiting(approval.taskToken) : true;
}

/** Closes a pending approval whose current stage is settled; the approval as it is afterwards. */
async function closeIfSettled(deps: ApprovalDeps, approval: Approval): Promise<Approval> {
  if (approval.status !== 'pending') return approval;
  const decisions = (await deps.store.decisions(approval.id, approval.stage)).sort(byTime);
  const t = tally(approval.approvers, approval.quorum, decisions);
  if (t.outcome === 'pending') return approval;
  const decidedAt = decisions.at(-1)!.at;
  if (!(await stillWaiting(deps, approval))) {
    await deps.store.close(approval.id, approval.stage, 'cancelled', { decidedAt, decidedBy: [], resume: 'pending' });
  } else {
    await deps.store.close(approval.id, approval.stage, t.outcome, {
      decidedAt,
      decidedBy: t.outcome === 'approved' ? t.approvals : t.rejections,
      resume: 'pending',
    });
  }
  // Whoever won the close, the approval is closed now.
  return (await deps.store.get(approval.id))!;
}

/** The outcome an audit record gives for a decision: the tally of its stage up to and including it. */
function outcomeAt(approval: Approval, decisions: readonly ApprovalDecision[], decision: ApprovalDecision): 'pending' | 'approved' | 'rejected' | 'cancelled' {
  const upTo = decisions.filter((d) => d.stage === decision.stage && byTime(d, decision) <= 0);
  const approvers =
    decision.stage === approval.stage ? approval.approvers : (approval.history.find((h) => h.stage === decision.stage)?.approvers ?? approval.approvers);
  const quorum = decision.stage === approval.stage ? approval.quorum : (approval.history.find((h) => h.stage === decision.stage)?.quorum ?? approval.quorum);
  const t = tally(approvers, quorum, upTo);
  if (t.outcome !== 'pending' && decision.stage === approval.stage && approval.status === 'cancelled') return 'cancelled';
  return t.outcome;
}

async function auditDecisions(deps: ApprovalDeps, approval: Approval): Promise<void> {
  const decisions = (await deps.store.decisions(approval.id)).sort(byTime);
  for (const d of decisions) {
    if (d.audited !== false) continue;
    await deps.audit.appendOnce(approval.runId, `approval.decided:${approval.id}:${d.stage}:${d.approver}`, 'approval.decided', {
      approvalId: approval.id,
      by: d.approver,
      decision: d.vote,
      via: d.via,
      ...(d.operator ? { operator: d.operator } : {}),
      outcome: outcomeAt(approval, decisions, d),
      ...(d.comment ? { comment: d.comment } : {}),
    });
    await deps.store.markAudited(d);
  }
}

/** Resumes the waiting task once; true when this call delivered the outcome. */
async function resume(deps: ApprovalDeps, approval: Approval): Promise<boolean> {
  if (approval.resume !== 'pending' && approval.resume !== 'sending') return false;
  if (approval.status === 'cancelled') {
    await deps.audit.appendOnce(approval.runId, `approval.cancelled:${approval.id}`, 'approval.cancelled', { approvalId: approval.id, why: RUN_STOPPED });
    await deps.store.setResume(approval.id, approval.resume, 'done');
    return false;
  }
  const firstAttempt = approval.resume === 'pending';
  // Of concurrent completers, the one that moves `pending` to `sending` sends; a crash after that
  // leaves `sending`, which the reconciler sends again (a duplicate is refused by Step Functions).
  if (firstAttempt && !(await deps.store.setResume(approval.id, 'pending', 'sending'))) return false;
  try {
    await deps.notifier.sendTaskSuccess(approval.taskToken, await outcomeOf(deps, approval));
  } catch (error) {
    if (!isTaskGone(error)) throw error;
    if (firstAttempt) {
      // Never delivered, and the task is gone: the run stopped after the heartbeat said it waited.
      await deps.audit.appendOnce(approval.runId, `approval.cancelled:${approval.id}`, 'approval.cancelled', { approvalId: approval.id, why: RUN_STOPPED });
      await deps.store.setResume(approval.id, 'sending', 'done', { status: 'cancelled' });
    } else {
      await deps.store.setResume(approval.id, 'sending', 'done');
    }
    return false;
  }
  await deps.store.setResume(approval.id, undefined, 'done');
  return true;
}

export interface Completion {
  approval: Approval;
  /** This call sent the SendTaskSuccess that resumed the run. */
  resumed: boolean;
}

/** Runs whatever remains of the decisions on one approval. Safe to run again, concurrently or after a crash. */
export async function completeApproval(deps: ApprovalDeps, approvalId: string): Promise<Completion | undefined> {
  const found = await deps.store.get(approvalId);
  if (!found) return undefined;
  const approval = await closeIfSettled(deps, found);
  await auditDecisions(deps, approval);
  const resumed = await resume(deps, approval);
  return { approval: (await deps.store.get(approvalId))!, resumed };
}

export interface ReconcileReport {
  /** Decisions whose remaining effects were completed. */
  completed: number;
  /** Decisions still unfinished (their error is logged by the caller); tried again next time. */
  failed: { approvalId: string; stage: ApprovalStage; approver: string; error: string }[];
}

/**
 * Completes every decision a crash left unfinished. Notes younger than
 * `minAgeMs` belong to a decision that may still be in progress and are
 * left to it (running them twice would be harmless, only wasted).
 */
export async function reconcileApprovals(deps: ApprovalDeps, options: { minAgeMs?: number } = {}): Promise<ReconcileReport> {
  const now = (deps.now ? deps.now() : new Date()).getTime();
  const minAgeMs = options.minAgeMs ?? 30_000;
  const report: ReconcileReport = { completed: 0, failed: [] };
  for (const todo of await deps.store.todos()) {
    if (now - Date.parse(todo.at) < minAgeMs) continue;
    try {
      await completeApproval(deps, todo.approvalId);
      await deps.store.clearTodo(todo.approvalId, todo.stage, todo.approver);
      report.completed++;
    } catch (error) {
      report.failed.push({ ...todo, error: String((error as Error)?.message ?? error).slice(0, 300) });
    }
  }
  return report;
}
