/**
 * An approval page answered within the time its request has left. A
 * function that runs past its deadline is cut off and the person gets a bare
 * 500 even when the decision was recorded; so the page answers a little
 * before the deadline with a 503 that says the outcome is not confirmed yet.
 * The work it stops waiting for goes on: deciding is an idempotent,
 * resumable sequence (the decision is stored with what remains to do), so a
 * continuation that finishes later, or one frozen with its function and
 * finished by the reconciler, records the decision once and resumes once.
 */
import { submitApproval, viewApproval, type ApprovalDeps } from './approval-service';
import { renderDecisionNotConfirmed, renderTooBusy, type Page } from './render-page';

/** Time kept back from the deadline to build and send the answer. */
export const ANSWER_MARGIN_MS = 2000;

/** How long a person is asked to wait before opening the link again. */
export const RETRY_AFTER_SECONDS = 15;

/** The time a request has, from its Lambda context, and where a failure after a late answer is reported. */
export interface AnswerTime {
  /** Milliseconds the request has left (the context's `getRemainingTimeInMillis`). */
  timeLeft(): number;
  onLateFailure(error: unknown): void;
}

/**
 * `work`'s page, or `late()` when `work` has not finished `ANSWER_MARGIN_MS`
 * before the deadline. Without `time` it waits for `work`. A failure of
 * `work` after the late answer goes to `onLateFailure` (nobody awaits it).
 */
export async function answerInTime(work: Promise<Page>, time: AnswerTime | undefined, late: () => Page): Promise<Page> {
  if (!time) return work;
  const budget = Math.max(0, time.timeLeft() - ANSWER_MARGIN_MS);
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budget);
  });
  try {
    const first = await Promise.race([work, outOfTime]);
    if (first !== 'late') return first;
    work.catch((error: unknown) => time.onLateFailure(error));
    return late();
  } finally {
    clearTimeout(timer);
  }
}

/** POST of the decision form, answered in time: the decision's page, or a 503 that claims nothing when it is not confirmed yet. */
export function submitApprovalInTime(deps: ApprovalDeps, approvalId: string, form: Record<string, string | undefined>, time?: AnswerTime): Promise<Page> {
  return answerInTime(submitApproval(deps, approvalId, form), time, () => renderDecisionNotConfirmed(RETRY_AFTER_SECONDS));
}

/** GET of the signed link, answered in time: the request's page, or a 503 asking to open the link again. */
export function viewApprovalInTime(deps: ApprovalDeps, approvalId: string, query: Record<string, string | undefined>, time?: AnswerTime): Promise<Page> {
  return answerInTime(viewApproval(deps, approvalId, query), time, () => renderTooBusy(RETRY_AFTER_SECONDS));
}
