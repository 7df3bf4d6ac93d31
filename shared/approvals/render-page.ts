/**
 * The approval pages. GET with a good link shows the request and a form
 * with two submit buttons, Approve and Reject, and a comment field: no
 * decision is preselected, so a scanner that submits the form without
 * pressing a button sends no decision. Every other case gets a plain page
 * that says what happened and changes nothing.
 */
import type { Approval, ApprovalDecision, Tally } from './approval';
import { describeAction, requester, type ToolDescribers } from './describe-action';
import { escapeHtml, prettyJson } from './html';
import type { LinkClaims } from './signed-link';
import { PAGE_HEADERS, pageFrame } from '../look/page';

export interface Page {
  status: number;
  html: string;
  /** Seconds after which opening the link again is worth it (sent as `Retry-After`). */
  retryAfterSeconds?: number;
}

export { PAGE_HEADERS };

function frame(title: string, body: string): string {
  return pageFrame({ title, body });
}

function summary(approval: Approval, action = describeAction(approval)): string {
  const raw = approval.call ? approval.call.input : (approval.details ?? null);
  return `<p>${escapeHtml(requester(approval))} asks to run:</p>
<p class="action">${escapeHtml(action)}</p>
<p><strong>Why:</strong> ${escapeHtml(approval.reason ?? '(no reason given)')}</p>
${approval.rule ? `<p><strong>Rule:</strong> ${escapeHtml(approval.rule.id)}${approval.rule.description ? ` — ${escapeHtml(approval.rule.description)}` : ''}</p>` : ''}
<p class="muted">Run ${escapeHtml(approval.runId)}, step ${escapeHtml(approval.stepId)}. ${approval.quorum > 1 ? `${approval.quorum} of ${approval.approvers.length} approvers must approve. ` : ''}Decide before ${escapeHtml(new Date(approval.deadline).toUTCString())}.</p>
<p>Exact input:</p><pre>${escapeHtml(prettyJson(raw))}</pre>`;
}

/**
 * GET with a good link: the request and the decision form, leading with the sentence the approver was asked (stored when
 * asked; for an approval stored before that, from the tools' `describe` when the caller has them).
 */
export function renderDecisionForm(approval: Approval, claims: LinkClaims, token: string, personName: string, describers?: ToolDescribers): Page {
  return {
    status: 200,
    html: frame(
      'Approval requested',
      `<p>For ${escapeHtml(personName)}.</p>
${summary(approval, approval.action ?? describeAction(approval, describers))}
<form method="post">
<input type="hidden" name="a" value="${escapeHtml(claims.approver)}">
<input type="hidden" name="s" value="${escapeHtml(claims.stage)}">
<input type="hidden" name="e" value="${escapeHtml(claims.expiresAt)}">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<p><label for="comment">Comment (optional)</label><br><textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<p><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="reject" class="danger">Reject</button></p>
</form>`,
    ),
  };
}

/** After a POST that recorded the decision. */
export function renderDecisionRecorded(approval: Approval, vote: 'approve' | 'reject', t: Tally): Page {
  const outcome =
    t.outcome === 'approved'
      ? 'The request is approved; the workflow continues.'
      : t.outcome === 'rejected'
        ? 'The request is rejected; the action will not run.'
        : `Waiting for more approvers: ${t.approvals.length} of ${t.quorum} approvals so far.`;
  return {
    status: 200,
    html: frame(
      vote === 'approve' ? 'You approved' : 'You rejected',
      `<p>Your decision is recorded.</p><p><strong>${escapeHtml(outcome)}</strong></p>${summary(approval)}`,
    ),
  };
}

/** The run stopped waiting (stopped, failed, timed out) before the request was settled. */
function renderRunEnded(approval: Approval): Page {
  return {
    status: 410,
    html: frame(
      'Request closed: the run has stopped',
      `<p>The workflow run that asked for this is no longer waiting for an answer (it was stopped, failed or timed out), so this request is closed. Nothing was approved and nothing will run. Decisions given are kept for the record.</p>${summary(approval)}`,
    ),
  };
}

/** The request was already approved, rejected, expired or cancelled. */
export function renderClosed(approval: Approval, decisions: readonly ApprovalDecision[]): Page {
  if (approval.status === 'cancelled') return renderRunEnded(approval);
  const word = approval.status === 'approved' ? 'approved' : approval.status === 'rejected' ? 'rejected' : 'closed: its deadline passed';
  const list = decisions
    .filter((d) => d.stage === approval.stage)
    .map(
      (d) =>
        `<li>${escapeHtml(d.approver)} ${d.vote === 'approve' ? 'approved' : 'rejected'} at ${escapeHtml(new Date(d.at).toUTCString())}${d.comment ? `: “${escapeHtml(d.comment)}”` : ''}</li>`,
    )
    .join('');
  return {
    status: 409,
    html: frame(
      `Already ${approval.status === 'expired' ? 'closed' : word}`,
      `<p>This request was ${escapeHtml(word)}${approval.decidedAt ? ` at ${escapeHtml(new Date(approval.decidedAt).toUTCString())}` : ''}. Nothing was changed.</p>${list ? `<ul>${list}</ul>` : ''}${summary(approval)}`,
    ),
  };
}

/** You already decided this request (repeated click or double submit). */
export function renderAlreadyDecidedByYou(approval: Approval, yours: ApprovalDecision): Page {
  return {
    status: 409,
    html: frame(
      'You already decided',
      `<p>You ${yours.vote === 'approve' ? 'approved' : 'rejected'} this request at ${escapeHtml(new Date(yours.at).toUTCString())}. A decision counts once; nothing was changed.</p>${summary(approval)}`,
    ),
  };
}

export type BadLinkKind = 'tampered' | 'unknown' | 'expired' | 'foreign' | 'escalated' | 'bad-form' | 'no-decision';

const BAD: Record<BadLinkKind, { status: number; title: string; text: string }> = {
  tampered: {
    status: 400,
    title: 'Invalid link',
    text: 'This link is not valid: it was changed or is incomplete. Use the link exactly as it arrived in your email. Nothing was changed.',
  },
  unknown: { status: 404, title: 'Unknown request', text: 'There is no approval request for this link. Nothing was changed.' },
  expired: { status: 410, title: 'Link expired', text: 'The time to decide this request has passed, so this link no longer works. Nothing was changed.' },
  foreign: { status: 403, title: 'Not your request', text: 'This link was made for someone who is not an approver of this request. Nothing was changed.' },
  escalated: {
    status: 410,
    title: 'Request escalated',
    text: 'This request was not decided in time and was escalated to other approvers. Your link no longer decides it. Nothing was changed.',
  },
  'bad-form': {
    status: 400,
    title: 'Form not accepted',
    text: 'The form was changed or did not come from the approval page. Open the link from your email again. Nothing was changed.',
  },
  'no-decision': {
    status: 400,
    title: 'Choose Approve or Reject',
    text: 'No decision was chosen. Open the link from your email again and press Approve or Reject. Nothing was changed.',
  },
};

/** A page for a link or form that decides nothing. */
export function renderBadLink(kind: BadLinkKind): Page {
  const b = BAD[kind];
  return { status: b.status, html: frame(b.title, `<p>${escapeHtml(b.text)}</p>`) };
}

/** A POST whose decision did not finish before the page had to answer: it may or may not be recorded, so say neither. */
export function renderDecisionNotConfirmed(retryAfterSeconds: number): Page {
  return {
    status: 503,
    retryAfterSeconds,
    html: frame(
      'Your decision is not confirmed yet',
      `<p class="notice">The system is too busy to confirm your decision right now.</p>
<p>It may or may not have been recorded. Wait a minute, then open the link from your email again: it shows whether your decision was recorded, and lets you decide if it was not.</p>
<p class="muted">Deciding twice is safe: a decision counts once.</p>`,
    ),
  };
}

/** A GET that could not be answered in time. */
export function renderTooBusy(retryAfterSeconds: number): Page {
  return {
    status: 503,
    retryAfterSeconds,
    html: frame(
      'Too busy to show this request',
      `<p class="notice">The system is too busy to show this request right now. Nothing was changed.</p>
<p>Wait a minute, then open the link from your email again.</p>`,
    ),
  };
}
