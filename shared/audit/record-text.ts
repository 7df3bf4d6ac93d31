/**
 * Audit records as sentences, the lines `aios audit show` prints and the
 * console's audit and run pages show: who or what started a run, which rule
 * decided a tool call, who decided an approval and through what.
 */
import { clip } from '../look/clip';
import type { AuditRecord } from './record';
import { STATUS_CHANGE_VIA } from './run-end';

/** An event as source / type (id), the replay it came in (if replayed from the archive) and who sent it by hand (if a person did). */
export function eventText(d: Readonly<Record<string, unknown>>): string {
  const id = typeof d.eventId === 'string' ? ` (${d.eventId})` : '';
  const how = `${typeof d.replayName === 'string' ? `, replayed as ${d.replayName}` : ''}${typeof d.sentBy === 'string' ? `, put on the bus by hand by ${d.sentBy}` : ''}`;
  return `event ${String(d.source)} / ${String(d.detailType)}${id}${how}`;
}

/** How a run started, from its `run.started` record: "by hand, by sam@laptop (cli), with event …", "by event …", "by its schedule". */
export function startedHow(data: Readonly<Record<string, unknown>>): string {
  const event = typeof data.source === 'string' ? eventText(data) : '';
  switch (data.trigger) {
    case 'manual': {
      const who = typeof data.operator === 'string' ? `${data.operator}${typeof data.via === 'string' ? ` (${data.via})` : ''}` : 'someone not recorded';
      const given = data.source === 'aios.scheduler' ? ', with the input its schedule gives' : event ? `, with ${event}` : '';
      return `by hand, by ${who}${given}`;
    }
    case 'schedule':
      return 'by its schedule';
    case 'event':
      return `by ${event || 'an event'}`;
    default:
      return event ? `by ${event}` : 'by something not recorded';
  }
}

/** A cause as the trail keeps it (up to 2,000 characters), shortened for one line. */
const CAUSE_CHARS = 200;

/**
 * How a run ended, from its `run.ended` record: the status, then what the status means when the workflow could not
 * say it (stopped, timed out), the error and the cause, and whether Step Functions reported it rather than the run.
 */
export function endedText(d: Readonly<Record<string, unknown>>): string {
  const error = typeof d.error === 'string' && d.error ? d.error : '';
  const cause = typeof d.cause === 'string' && d.cause ? ` — “${clip(d.cause, CAUSE_CHARS)}”` : '';
  const byStepFunctions = d.via === STATUS_CHANGE_VIA;
  const reported = byStepFunctions ? ` (reported by Step Functions${d.status === 'FAILED' ? ': it failed where the workflow could not record it' : ''})` : '';
  switch (d.status) {
    case 'ABORTED':
      return `ABORTED: stopped from outside the workflow (StopExecution)${error ? `, ${error}` : ''}${cause || ', no reason given'}${reported}`;
    case 'TIMED_OUT':
      return `TIMED_OUT: the run passed its state machine's time limit (TimeoutSeconds)${error && error !== 'States.Timeout' ? `, ${error}` : ''}${cause}${reported}`;
    default:
      return `${String(d.status)}${error ? `: ${error}` : ''}${cause}${reported}`;
  }
}

/** A tool's result as the trail keeps it (up to 300 characters), shortened for one line. */
const SUMMARY_CHARS = 160;

/** One record's line after its kind, or its data as JSON for kinds without a sentence. */
export function recordSummary(r: AuditRecord): string {
  return recordSentence(r) ?? JSON.stringify(r.data);
}

/** One record as a sentence, when its kind has one. */
export function recordSentence(r: AuditRecord): string | undefined {
  const d = r.data as Record<string, unknown>;
  switch (r.kind) {
    case 'event.received':
      return eventText(d);
    case 'run.started':
      return `${d.workflowId} started ${startedHow(d)}`;
    case 'rights.evaluated':
      return `${d.tool}: ${d.decision} by ${d.ruleId ? `rule ${d.ruleId}` : 'default'} — ${d.reason}${d.agentReason ? `; the agent said: “${String(d.agentReason)}”` : ''}`;
    case 'approval.requested':
      return `${d.approvalId}${d.tool ? ` ${String(d.tool)}` : ''} → ${(d.approvers as string[]).join(', ')} (${d.quorum}), deadline ${d.deadline}${d.reason ? `; the agent said: “${String(d.reason)}”` : ''}`;
    case 'approval.decided':
      return `${d.approvalId}: ${d.by} ${d.decision === 'approve' ? 'approved' : 'rejected'} via ${d.via}${d.operator ? ` (typed by ${String(d.operator)})` : ''} → ${d.outcome}${d.comment ? ` “${d.comment}”` : ''}`;
    case 'model.called':
      return `${d.agentId} turn ${d.turn}: ${d.inputTokens} in / ${d.outputTokens} out tokens, $${Number(d.costUsd).toFixed(4)}`;
    case 'tool.ran':
      return `${d.tool} ran: ${d.status}${d.approvalId ? `, approved in ${String(d.approvalId)}` : ''}${typeof d.summary === 'string' && d.summary ? ` — ${clip(d.summary, SUMMARY_CHARS)}` : ''}`;
    case 'tool.refused':
      return `${d.tool} not run: ${d.why}`;
    case 'run.ended':
      return endedText(d);
    case 'run.duplicate':
      return `a second start of ${d.source} / ${d.detailType} (${d.delivery}): run ${d.duplicateOf} holds it, so nothing was done`;
    case 'approval.cancelled':
      return `${d.approvalId}: ${d.why}`;
    case 'approval.deadline_passed':
      return `${d.approvalId}: the ${d.stage} deadline passed → ${d.then}`;
    case 'approval.escalated':
      return `${d.approvalId} escalated → ${(d.approvers as string[]).join(', ')} (${d.quorum}), deadline ${d.deadline}`;
    case 'control.changed':
      return `${d.by} ${d.state} ${d.target} ${d.id}${d.why ? `: “${String(d.why)}”` : ''}`;
    case 'console.access':
      return accessText(d);
    case 'run.indexed':
      return `run ${String(d.runId)} has an audit trail`;
    case 'knowledge.retired':
      return `${d.by} retired ${d.namespace}/${d.docId} v${d.version}: “${d.why}”`;
    default:
      return undefined;
  }
}

/** A console sign-in, sign-out or refusal: "maya signed in", "sam was refused /console/rights: only admins …". */
function accessText(d: Readonly<Record<string, unknown>>): string {
  const who = typeof d.person === 'string' ? d.person : 'someone not signed in';
  switch (d.what) {
    case 'signed_in':
      return `${who} signed in to the console`;
    case 'signed_out':
      return `${who} signed out of the console`;
    default:
      return `${who} was refused ${typeof d.path === 'string' ? d.path : 'a page'}${typeof d.reason === 'string' ? `: ${d.reason}` : ''}`;
  }
}
