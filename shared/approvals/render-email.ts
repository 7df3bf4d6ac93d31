/**
 * The approval email: a subject that says what is asked, who asks and why;
 * a body (HTML and plain text) with the exact action in words, the raw
 * input, the deadline, the quorum and the approver's own signed link.
 */
import type { Approval } from './approval';
import { describeAction, requester, type ToolDescribers } from './describe-action';
import { escapeHtml, oneLine, prettyJson } from './html';

export interface ApprovalEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface EmailContext {
  approval: Approval;
  approver: { id: string; name: string; email: string };
  link: string;
  /** Each tool's `describe(input)`: the sentence the subject and the body lead with. */
  describers?: ToolDescribers;
  escalated?: boolean;
}

export function renderApprovalEmail(ctx: EmailContext): ApprovalEmail {
  const { approval, approver, link } = ctx;
  const action = describeAction(approval, ctx.describers);
  const who = requester(approval);
  const why = approval.reason ? ` because: ${approval.reason}` : '';
  // The subject leads with the whole sentence (amounts and ids are never cut); only who asks and why may be shortened.
  const lead = `${ctx.escalated ? '[Escalated] ' : ''}${oneLine(action, 400)}`;
  const subject = `${lead} ${oneLine(`— approval needed (asked by ${who}${why})`, Math.max(40, 200 - lead.length))}`;
  const deadline = new Date(approval.deadline).toUTCString();
  const quorumLine = approval.quorum > 1 ? `${approval.quorum} of ${approval.approvers.length} approvers must approve.` : '';
  const escalatedLine = ctx.escalated ? 'The first approvers did not decide in time, so this request was escalated to you.' : '';
  const rawInput = approval.call ? prettyJson(approval.call.input) : prettyJson(approval.details ?? null);

  const text = [
    `Hello ${approver.name},`,
    '',
    escalatedLine,
    `${who} asks for your approval to run:`,
    `  ${action}`,
    '',
    `Why: ${approval.reason ?? '(no reason given)'}`,
    ...(approval.rule ? [`Rule: ${approval.rule.id}${approval.rule.description ? ` — ${approval.rule.description}` : ''}`] : []),
    `Run: ${approval.runId} (step ${approval.stepId})`,
    quorumLine,
    `Decide before: ${deadline}`,
    '',
    'Exact input:',
    rawInput,
    '',
    `Open this link to approve or reject (it is yours alone; opening it decides nothing):`,
    link,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');

  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:640px">
<p>Hello ${escapeHtml(approver.name)},</p>
${escalatedLine ? `<p><strong>${escapeHtml(escalatedLine)}</strong></p>` : ''}
<p>${escapeHtml(who)} asks for your approval to run:</p>
<p style="font-size:1.15em"><strong>${escapeHtml(action)}</strong></p>
<p><strong>Why:</strong> ${escapeHtml(approval.reason ?? '(no reason given)')}</p>
${approval.rule ? `<p><strong>Rule:</strong> ${escapeHtml(approval.rule.id)}${approval.rule.description ? ` — ${escapeHtml(approval.rule.description)}` : ''}</p>` : ''}
<p>Run ${escapeHtml(approval.runId)} (step ${escapeHtml(approval.stepId)})${quorumLine ? `<br>${escapeHtml(quorumLine)}` : ''}<br>Decide before: ${escapeHtml(deadline)}</p>
<p>Exact input:</p>
<pre style="background:#f4f4f4;padding:8px;white-space:pre-wrap">${escapeHtml(rawInput)}</pre>
<p><a href="${escapeHtml(link)}">Review and decide</a></p>
<p style="color:#666;font-size:.9em">This link is yours alone. Opening it decides nothing: you choose Approve or Reject on the page.</p>
</body></html>`;
  return { to: approver.email, subject, text, html };
}
