/**
 * Approvals in the console: the signed-in person's pending requests, one
 * request with its decisions so far, and the decision itself — made by the
 * approval service's own `decide`, so the checks (an approver of the
 * current stage, once, before the deadline), the records and the resumed
 * workflow are the same as from the email link; the channel is `console`.
 */
import type { Approval, ApprovalDecision } from '../approvals/approval';
import { decide } from '../approvals/approval-service';
import { requester } from '../approvals/describe-action';
import { prettyJson } from '../approvals/html';
import type { AuditRecord } from '../audit/record';
import { isAskedToDecide, maySeeApproval, type Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { forbidden, notFound } from './forbidden';
import { approvalLink, badge, consolePage, csrfField, escapeHtml, runLink, when } from './pages/layout';
import { page, redirect, type ConsoleResponse } from './response';
import { describeAction as actionSentence } from '../approvals/describe-action';

/** The rule that asked for this approval (from the run's `rights.evaluated` record), with its description. */
export function ruleOfApproval(deps: ConsoleDeps, approval: Approval, audit: readonly AuditRecord[]): { id: string; description: string | null } | null {
  if (approval.rule?.description) return approval.rule;
  if (!approval.call) return approval.rule ?? null;
  const evaluated = audit.find(
    (r) =>
      r.kind === 'rights.evaluated' &&
      (r.data as { toolUseId?: string }).toolUseId === approval.call!.toolUseId &&
      (r.data as { decision?: string }).decision === 'approve',
  );
  const data = evaluated?.data as { ruleId?: string | null; reason?: string } | undefined;
  if (!data?.ruleId) return null;
  // The rule's own description when it has one, else what the gate said when it matched.
  return { id: data.ruleId, description: deps.definition.rules.find((r) => r.id === data.ruleId)?.description ?? data.reason ?? null };
}

function personName(deps: ConsoleDeps, id: string): string {
  return deps.approvals.people.find((p) => p.id === id)?.name ?? id;
}

/** Of the pending approvals, those the viewer is an approver of (current stage), soonest deadline first. */
export function pendingFor(pending: readonly Approval[], viewer: Viewer): Approval[] {
  return pending.filter((a) => a.approvers.includes(viewer.person.id)).sort((a, b) => a.deadline.localeCompare(b.deadline));
}

export function approvalRows(deps: ConsoleDeps, approvals: readonly Approval[]): string {
  if (approvals.length === 0) return '<p class="muted">Nothing is waiting for you.</p>';
  return `<table><thead><tr><th>What</th><th class="opt">Asked by</th><th>Decide before</th></tr></thead><tbody>${approvals
    .map(
      (a) =>
        `<tr><td>${approvalLink(a.id, actionSentence(a, deps.approvals.toolDescribers))}<div class="small muted">${escapeHtml(a.reason ?? '')}</div></td><td class="opt">${escapeHtml(requester(a))}</td><td>${escapeHtml(when(a.deadline))}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

const RECENT_LISTED = 20;
const RECENT_READ = 100;

async function closedOf(asked: Promise<Approval[]>): Promise<Approval[]> {
  return (await asked)
    .filter((a) => a.status !== 'pending')
    .sort((a, b) => (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt))
    .slice(0, RECENT_LISTED);
}

/** GET /console/approvals */
export async function listApprovals(deps: ConsoleDeps, viewer: Viewer): Promise<ConsoleResponse> {
  // Someone who is not an admin sees their own: the newest they were asked, of which those closed.
  const [pending, recent] = await Promise.all([
    deps.approvalLists.pending(),
    viewer.admin ? deps.approvalLists.recentlyClosed(RECENT_LISTED) : closedOf(deps.approvalLists.askedOf(viewer.person.id, RECENT_READ)),
  ]);
  const mine = pendingFor(pending, viewer);
  const others = viewer.admin ? pending.filter((a) => !a.approvers.includes(viewer.person.id)) : [];
  const body = `<h2>Waiting for you</h2>${approvalRows(deps, mine)}
${viewer.admin ? `<h2>Waiting for others</h2>${others.length ? approvalRows(deps, others) : '<p class="muted">None.</p>'}` : ''}
<h2>Decided recently</h2>${
    recent.length
      ? `<table><thead><tr><th>What</th><th>Outcome</th><th class="opt">When</th></tr></thead><tbody>${recent
          .map(
            (a) =>
              `<tr><td>${approvalLink(a.id, actionSentence(a, deps.approvals.toolDescribers))}</td><td>${badge(a.status)}</td><td class="opt">${escapeHtml(when(a.decidedAt))}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">None yet.</p>'
  }`;
  return page(200, consolePage(viewer, 'Approvals', body));
}

function decisionsList(deps: ConsoleDeps, approval: Approval, decisions: readonly ApprovalDecision[]): string {
  const stage = decisions.filter((d) => d.stage === approval.stage);
  const approvals = stage.filter((d) => d.vote === 'approve').length;
  const head =
    approval.status === 'pending'
      ? `<p><strong>${approvals} of ${approval.quorum}</strong> approval${approval.quorum > 1 ? 's' : ''} needed so far, from ${approval.approvers.map((id) => escapeHtml(personName(deps, id))).join(', ')}.</p>`
      : `<p>Outcome: ${badge(approval.status)}${approval.decidedAt ? ` at ${escapeHtml(when(approval.decidedAt))}` : ''}</p>`;
  const items = decisions
    .map(
      (d) =>
        `<li><strong>${escapeHtml(personName(deps, d.approver))}</strong> ${d.vote === 'approve' ? 'approved' : 'rejected'} at ${escapeHtml(when(d.at))} (${escapeHtml(d.via === 'console' ? 'in the console' : d.via === 'cli' ? 'from the command line' : 'by email link')}${d.stage === 'escalation' ? ', escalation' : ''})${d.comment ? `: “${escapeHtml(d.comment)}”` : ''}</li>`,
    )
    .join('');
  return `${head}${items ? `<ul>${items}</ul>` : ''}`;
}

/** GET /console/approvals/<id> */
export async function showApproval(deps: ConsoleDeps, viewer: Viewer, id: string, notice?: string): Promise<ConsoleResponse> {
  const approval = await deps.approvals.store.get(id);
  if (!approval) return notFound(viewer, 'such approval request');
  if (!maySeeApproval(viewer, approval)) return forbidden(deps, viewer, `/console/approvals/${id}`, 'This approval request was not sent to you.');
  const [decisions, audit] = await Promise.all([deps.approvals.store.decisions(id), deps.audit.records(approval.runId).catch(() => [] as AuditRecord[])]);
  const rule = ruleOfApproval(deps, approval, audit);
  const yours = decisions.find((d) => d.stage === approval.stage && d.approver === viewer.person.id);
  const canDecide =
    approval.status === 'pending' && approval.approvers.includes(viewer.person.id) && !yours && Date.parse(approval.deadline) > deps.now().getTime();
  const raw = approval.call ? approval.call.input : (approval.details ?? null);
  const form = canDecide
    ? `<form method="post" class="card">${csrfField(viewer)}
<p><label for="comment">Comment (optional; a rejection comment goes back to the agent)</label><br><textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<p><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="reject" class="danger">Reject</button></p></form>`
    : approval.status === 'pending' && isAskedToDecide(viewer, approval) && yours
      ? `<p class="notice">You ${yours.vote === 'approve' ? 'approved' : 'rejected'} this at ${escapeHtml(when(yours.at))}.</p>`
      : approval.status === 'pending' && !approval.approvers.includes(viewer.person.id)
        ? '<p class="notice">You can see this request but you are not one of its approvers.</p>'
        : '';
  const body = `${notice ? `<p class="notice">${escapeHtml(notice)}</p>` : ''}<div class="card">
<p class="action">${escapeHtml(actionSentence(approval, deps.approvals.toolDescribers))}</p>
<p>Asked by ${escapeHtml(requester(approval))}${approval.reason ? `, because: <em>${escapeHtml(approval.reason)}</em>` : ''}</p>
${rule ? `<p>Rule <strong>${escapeHtml(rule.id)}</strong>${rule.description ? `: ${escapeHtml(rule.description)}` : ''}</p>` : ''}
<p class="muted small">Run ${runLink(approval.runId)}, step ${escapeHtml(approval.stepId)} · ${badge(approval.status)} · decide before ${escapeHtml(when(approval.deadline))}</p>
</div>
${form}
<h2>Decisions</h2>${decisionsList(deps, approval, decisions)}
<h2>Exact input</h2><pre>${escapeHtml(prettyJson(raw))}</pre>`;
  return page(200, consolePage(viewer, 'Approval request', body));
}

const OUTCOME_TEXT: Record<string, string> = {
  'already-decided': 'You had already decided this request; a decision counts once. Nothing was changed.',
  closed: 'This request was already closed. Nothing was changed.',
  escalated: 'This request was escalated to other approvers. Nothing was changed.',
  expired: 'The time to decide this request has passed. Nothing was changed.',
  foreign: 'You are not an approver of this request. Nothing was changed.',
};

/** POST /console/approvals/<id> with `decision` and `comment` (CSRF checked by the caller). */
export async function decideApproval(deps: ConsoleDeps, viewer: Viewer, id: string, form: Record<string, string | undefined>): Promise<ConsoleResponse> {
  const approval = await deps.approvals.store.get(id);
  if (!approval) return notFound(viewer, 'such approval request');
  if (!maySeeApproval(viewer, approval)) return forbidden(deps, viewer, `/console/approvals/${id}`, 'This approval request was not sent to you.', 'action');
  if (form.decision !== 'approve' && form.decision !== 'reject') return showApproval(deps, viewer, id, 'Choose Approve or Reject. Nothing was changed.');
  const result = await decide(deps.approvals, {
    approvalId: id,
    approver: viewer.person.id,
    vote: form.decision,
    comment: form.comment ?? null,
    via: 'console',
  });
  if (result.kind === 'recorded') return redirect(`/console/approvals/${encodeURIComponent(id)}`);
  const shown = await showApproval(deps, viewer, id, OUTCOME_TEXT[result.kind] ?? 'Nothing was changed.');
  return { ...shown, status: result.kind === 'foreign' ? 403 : 409 };
}
