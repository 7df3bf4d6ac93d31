/**
 * What happens to an approval, independent of how it is reached (Lambda,
 * local runtime, CLI): request it (store, email every approver their own
 * link), show it (GET: changes nothing), decide it (POST or CLI: one
 * decision per approver, one winner of the final transition, one resume of
 * the waiting workflow), expire it, and check that an approval covers a
 * tool call before the call runs. I/O goes through the ports in
 * `ApprovalDeps`, so the whole flow is unit-tested with in-memory fakes.
 */
import type { AuditWriter } from '../audit/audit-log';
import { AiosError } from '../errors';
import { ConditionFailedError } from '../storage/table';
import { checkQuorum, resolveApprovers } from '../rights/approvers';
import { inputDigest } from '../rights/input-digest';
import { tally, type Approval, type ApprovalDecision, type ApprovalOutcome, type ApprovalStage, type Tally, type Vote } from './approval';
import { approvalExpireInputSchema, approvalRequestInputSchema, type ApprovalRequestInput } from './approval-request';
import { newApprovalId, type ApprovalReader, type ApprovalStore } from './approval-store';
import { describeAction, type ToolDescribers } from './describe-action';
import { ApprovalMismatchError, ApprovalNotFoundError, InvalidApprovalRequestError } from './errors';
import { renderApprovalEmail, type ApprovalEmail } from './render-email';
import { renderAlreadyDecidedByYou, renderBadLink, renderClosed, renderDecisionForm, renderDecisionRecorded, type Page } from './render-page';
import { approvalUrl, checkLink, formToken, type LinkClaims, type SigningKeyPort } from './signed-link';
import { completeApproval, outcomeOf } from './decision-effects';

export interface ApprovalPerson {
  id: string;
  name: string;
  email: string;
  roles: readonly string[];
}

/** Resumes the waiting Step Functions task (SendTaskSuccess). */
export interface TaskNotifier {
  /** @throws an error named TaskTimedOut, TaskDoesNotExist or InvalidToken when no task waits on the token */
  sendTaskSuccess(taskToken: string, output: ApprovalOutcome): Promise<void>;
  /** Whether a task still waits on the token (SendTaskHeartbeat); without it, a task is assumed to wait. */
  isWaiting?(taskToken: string): Promise<boolean>;
}

/** Sends one email (SES v2 on AWS and on the local runtime). */
export interface Mailer {
  send(email: ApprovalEmail): Promise<void>;
}

export interface ApprovalDeps {
  store: ApprovalStore;
  /** Approvals only append: the writer, so the approval functions do not carry the log's reading and verifying. */
  audit: AuditWriter;
  signingKey: SigningKeyPort;
  notifier: TaskNotifier;
  people: readonly ApprovalPerson[];
  /** Base URL of the approval pages, e.g. https://abc.execute-api.../ or http://127.0.0.1:4566 */
  publicUrl: string;
  /** Each tool's `describe(input)`, by tool id: the sentence approvers read. */
  toolDescribers?: ToolDescribers;
  /** Each decision rule's description, by rule id: approvers see which rule asked and why. */
  ruleDescriptions?: Readonly<Record<string, string>>;
  now?: () => Date;
}

/** Asking for an approval also emails the approvers; deciding, viewing and expiring do not (their functions may not send email). */
export interface ApprovalRequestDeps extends ApprovalDeps {
  mailer: Mailer;
}

const MAX_COMMENT = 2000;

function nowOf(deps: ApprovalDeps): Date {
  return deps.now ? deps.now() : new Date();
}

async function emailApprovers(deps: ApprovalRequestDeps, approval: Approval, escalated: boolean): Promise<string[]> {
  const key = await deps.signingKey();
  const expiresAt = Math.floor(Date.parse(approval.deadline) / 1000);
  const sent: string[] = [];
  for (const id of approval.approvers) {
    const person = deps.people.find((p) => p.id === id)!;
    const link = approvalUrl(deps.publicUrl, key, { approvalId: approval.id, approver: id, stage: approval.stage, expiresAt });
    await deps.mailer.send(renderApprovalEmail({ approval, approver: person, link, escalated, describers: deps.toolDescribers }));
    sent.push(person.email);
  }
  return sent;
}

export interface RequestApprovalResult {
  approvalId: string;
  stage: ApprovalStage;
  /** Email addresses written to. */
  emailed: string[];
  /** The approval was already decided (a retried task): the task was resumed at once. */
  resumedImmediately: boolean;
}

/**
 * Stores an approval for the waiting task and emails each approver their
 * link; for stage `escalation`, moves the call's existing approval to the
 * escalation approvers. Safe to retry with the same or a new task token.
 *
 * @throws InvalidApprovalRequestError for a malformed request, unknown approvers or an unreachable quorum
 */
export async function requestApproval(deps: ApprovalRequestDeps, raw: unknown): Promise<RequestApprovalResult> {
  const parsed = approvalRequestInputSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidApprovalRequestError(`invalid approval request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const input: ApprovalRequestInput = parsed.data;
  let approvers: string[];
  try {
    approvers = resolveApprovers(`${input.workflowId}/${input.stepId}`, input.approvers, deps.people);
    checkQuorum(`${input.workflowId}/${input.stepId}`, input.quorum, approvers);
  } catch (error) {
    if (error instanceof AiosError) throw new InvalidApprovalRequestError(error.message, error.details);
    throw error;
  }
  const digest = input.call ? inputDigest(input.call.input) : null;
  if (input.inputDigest && digest && input.inputDigest !== digest) {
    throw new InvalidApprovalRequestError('inputDigest does not match the call input', { given: input.inputDigest, computed: digest });
  }
  const now = nowOf(deps);
  const deadline = new Date(now.getTime() + input.timeoutSeconds * 1000).toISOString();
  const claim = await deps.store.claimCall(input.runId, input.stepId, input.call?.toolUseId ?? null, newApprovalId());
  const existing = claim.created ? undefined : await deps.store.get(claim.id);

  if (!existing) {
    const call = input.call ? { toolUseId: input.call.toolUseId, name: input.call.name, input: input.call.input ?? null } : null;
    const approval: Approval = {
      id: claim.id,
      status: 'pending',
      stage: input.stage,
      taskToken: input.taskToken,
      runId: input.runId,
      workflowId: input.workflowId,
      stepId: input.stepId,
      agentId: input.agentId,
      call,
      action: describeAction({ call, subject: input.subject ?? null, stepId: input.stepId }, deps.toolDescribers),
      reason: input.call?.reason || null,
      rule: input.ruleId ? { id: input.ruleId, description: deps.ruleDescriptions?.[input.ruleId] ?? null } : null,
      inputDigest: digest,
      subject: input.subject ?? null,
      details: input.details ?? null,
      approvers,
      quorum: input.quorum,
      deadline,
      createdAt: now.toISOString(),
      stageStartedAt: now.toISOString(),
      history: [],
    };
    try {
      await deps.store.create(approval);
    } catch (error) {
      // The request that claimed the call made it first (this one found the claim before the approval): ask again, as a retry.
      if (error instanceof ConditionFailedError) return requestApproval(deps, raw);
      throw error;
    }
    await deps.audit.append(input.runId, 'approval.requested', {
      approvalId: approval.id,
      ...(approval.call ? { tool: approval.call.name, toolUseId: approval.call.toolUseId, inputDigest: digest } : {}),
      stage: approval.stage,
      approvers,
      quorum: input.quorum,
      deadline,
      reason: approval.reason,
    });
    return {
      approvalId: approval.id,
      stage: approval.stage,
      emailed: await emailApprovers(deps, approval, input.stage === 'escalation'),
      resumedImmediately: false,
    };
  }

  if (existing.status === 'approved' || existing.status === 'rejected') {
    if (existing.resume === 'pending' || existing.resume === 'sending') {
      // The decision still owes its audit record and resume (its process died before them). Finish them the one way,
      // to this task's token, so the resume is recorded as sent: sent aside, the owed resume made later got "already
      // answered", was taken for a stopped run, and turned an approval whose call had run into `cancelled`.
      const retokened =
        existing.taskToken === input.taskToken || (await deps.store.setResume(existing.id, existing.resume, existing.resume, { taskToken: input.taskToken }));
      if (!retokened) return requestApproval(deps, raw);
      const completed = await completeApproval(deps, existing.id);
      return { approvalId: existing.id, stage: existing.stage, emailed: [], resumedImmediately: completed?.resumed ?? false };
    }
    await deps.notifier.sendTaskSuccess(input.taskToken, await outcomeOf(deps, existing));
    return { approvalId: existing.id, stage: existing.stage, emailed: [], resumedImmediately: true };
  }
  if (existing.status !== 'pending') {
    // Closed without approval (expired, or cancelled when its run stopped): nothing to ask; the call is not approved.
    // (Asking to update it as pending would be refused, and asked again, without end.)
    await deps.notifier.sendTaskSuccess(input.taskToken, await outcomeOf(deps, existing));
    return { approvalId: existing.id, stage: existing.stage, emailed: [], resumedImmediately: true };
  }

  if (existing.stage === input.stage) {
    // A retried task: same question, possibly a new token. Re-send so no approver misses the mail.
    if (!(await deps.store.updatePending(existing.id, existing.stage, { taskToken: input.taskToken }))) return requestApproval(deps, raw);
    const approval = { ...existing, taskToken: input.taskToken };
    return {
      approvalId: approval.id,
      stage: approval.stage,
      emailed: await emailApprovers(deps, approval, approval.stage === 'escalation'),
      resumedImmediately: false,
    };
  }

  if (input.stage !== 'escalation') throw new InvalidApprovalRequestError(`approval ${existing.id} is already in stage ${existing.stage}`);
  const escalated: Approval = {
    ...existing,
    stage: 'escalation',
    taskToken: input.taskToken,
    approvers,
    quorum: input.quorum,
    deadline,
    stageStartedAt: now.toISOString(),
    history: [...existing.history, { stage: existing.stage, approvers: existing.approvers, quorum: existing.quorum, deadline: existing.deadline }],
  };
  const { id: _id, status: _status, ...changes } = escalated;
  await deps.store.listApprovers(escalated);
  // Losing this write means a primary approver decided at the last moment: that decision stands.
  if (!(await deps.store.updatePending(existing.id, existing.stage, changes))) return requestApproval(deps, raw);
  await deps.audit.append(input.runId, 'approval.deadline_passed', { approvalId: existing.id, stage: existing.stage, then: 'escalated' });
  await deps.audit.append(input.runId, 'approval.escalated', { approvalId: existing.id, approvers, quorum: input.quorum, deadline });
  return { approvalId: existing.id, stage: 'escalation', emailed: await emailApprovers(deps, escalated, true), resumedImmediately: false };
}

export type DecideResult =
  | { kind: 'recorded'; approval: Approval; tally: Tally; resumed: boolean }
  | { kind: 'already-decided'; approval: Approval; yours: ApprovalDecision }
  | { kind: 'closed'; approval: Approval; decisions: ApprovalDecision[] }
  | { kind: 'escalated'; approval: Approval }
  | { kind: 'expired'; approval: Approval }
  | { kind: 'foreign'; approval: Approval }
  | { kind: 'unknown' };

export interface DecideInput {
  approvalId: string;
  approver: string;
  vote: Vote;
  comment?: string | null;
  /** The stage the person saw (from their link); default the current stage. */
  stage?: ApprovalStage;
  via: 'web' | 'cli' | 'console';
  /** Who typed it, when the person is only named (the CLI's `--as`); kept with the decision and in its audit record. */
  operator?: string;
}

/**
 * Records one person's decision and, when it settles the approval, resumes
 * the workflow exactly once. Used by the approval page and by the CLI.
 *
 * The decision is written with what remains to do (a note in the store, the
 * decision marked not yet audited); `completeApproval` then closes, audits
 * and resumes, each step idempotent, and the reconciler finishes whatever a
 * crash interrupted. A decision on an approval whose run no longer waits
 * closes it as `cancelled` (kind `closed`): nothing is approved or resumed.
 */
export async function decide(deps: ApprovalDeps, input: DecideInput): Promise<DecideResult> {
  const approval = await deps.store.get(input.approvalId);
  if (!approval) return { kind: 'unknown' };
  if (approval.status !== 'pending') {
    // A decision that settled it may still owe its effects (the process died): finish them.
    const done =
      approval.resume === 'pending' || approval.resume === 'sending' ? ((await completeApproval(deps, approval.id))?.approval ?? approval) : approval;
    return { kind: 'closed', approval: done, decisions: await deps.store.decisions(approval.id) };
  }
  const stage = input.stage ?? approval.stage;
  if (stage !== approval.stage) return { kind: 'escalated', approval };
  if (!approval.approvers.includes(input.approver)) return { kind: 'foreign', approval };
  const now = nowOf(deps);
  if (now.getTime() >= Date.parse(approval.deadline)) return { kind: 'expired', approval };

  const comment = input.comment?.trim().slice(0, MAX_COMMENT) || null;
  const decision: ApprovalDecision = {
    approvalId: approval.id,
    stage,
    approver: input.approver,
    vote: input.vote,
    comment,
    at: now.toISOString(),
    via: input.via,
    ...(input.operator ? { operator: input.operator } : {}),
    audited: false,
  };
  await deps.store.markTodo(approval.id, stage, input.approver, now);
  if (!(await deps.store.recordDecision(decision))) {
    const yours = (await deps.store.decisions(approval.id, stage)).find((d) => d.approver === input.approver)!;
    // The first attempt of this decision may have died before finishing its effects.
    const completed = await completeApproval(deps, approval.id);
    await deps.store.clearTodo(approval.id, stage, input.approver);
    return { kind: 'already-decided', approval: completed?.approval ?? approval, yours };
  }
  const completed = (await completeApproval(deps, approval.id))!;
  await deps.store.clearTodo(approval.id, stage, input.approver);
  const after = completed.approval;
  if (after.status === 'cancelled') return { kind: 'closed', approval: after, decisions: await deps.store.decisions(approval.id) };
  const t = tally(
    approval.approvers,
    approval.quorum,
    (await deps.store.decisions(approval.id, stage)).sort((a, b) => a.at.localeCompare(b.at)),
  );
  return { kind: 'recorded', approval: after, tally: t, resumed: completed.resumed };
}

function personName(deps: ApprovalDeps, id: string): string {
  return deps.people.find((p) => p.id === id)?.name ?? id;
}

/** GET /approvals/<id>?a=&s=&e=&sig=: verifies the link and shows the request. Changes nothing. */
export async function viewApproval(deps: ApprovalDeps, approvalId: string, query: Record<string, string | undefined>): Promise<Page> {
  const key = await deps.signingKey();
  const { approval, decisions } = await deps.store.getWithDecisions(approvalId);
  const check = checkLink(key, 'link', approvalId, query, approval, nowOf(deps));
  if (check.kind === 'closed') return renderClosed(approval!, decisions);
  if (check.kind !== 'ok') return renderBadLink(check.kind);
  const yours = decisions.find((d) => d.stage === check.claims.stage && d.approver === check.claims.approver);
  if (yours) return renderAlreadyDecidedByYou(approval!, yours);
  return renderDecisionForm(approval!, check.claims, formToken(key, check.claims), personName(deps, check.claims.approver), deps.toolDescribers);
}

/** POST /approvals/<id> with the page's form (a, s, e, t, decision, comment). */
export async function submitApproval(deps: ApprovalDeps, approvalId: string, form: Record<string, string | undefined>): Promise<Page> {
  const key = await deps.signingKey();
  const approval = await deps.store.get(approvalId);
  const check = checkLink(key, 'form', approvalId, form, approval, nowOf(deps));
  if (check.kind === 'tampered') return renderBadLink('bad-form');
  if (check.kind === 'closed') return renderClosed(approval!, await deps.store.decisions(approvalId));
  if (check.kind !== 'ok') return renderBadLink(check.kind);
  if (form.decision !== 'approve' && form.decision !== 'reject') return renderBadLink('no-decision');
  const claims: LinkClaims = check.claims;
  const result = await decide(deps, {
    approvalId,
    approver: claims.approver,
    stage: claims.stage,
    vote: form.decision,
    comment: form.comment ?? null,
    via: 'web',
  });
  return pageFor(result, form.decision);
}

function pageFor(result: DecideResult, vote: Vote): Page {
  switch (result.kind) {
    case 'recorded':
      return renderDecisionRecorded(result.approval, vote, result.tally);
    case 'already-decided':
      return renderAlreadyDecidedByYou(result.approval, result.yours);
    case 'closed':
      return renderClosed(result.approval, result.decisions);
    case 'unknown':
    case 'escalated':
    case 'expired':
    case 'foreign':
      return renderBadLink(result.kind);
  }
}

/**
 * Closes a pending approval whose deadline has passed (onTimeout `reject`)
 * and audits it. True for the caller that closed it.
 */
export async function expireApproval(deps: ApprovalDeps, approvalId: string): Promise<boolean> {
  const approval = await deps.store.get(approvalId);
  if (!approval) throw new ApprovalNotFoundError(approvalId);
  const now = nowOf(deps);
  if (approval.status !== 'pending' || now.getTime() < Date.parse(approval.deadline)) return false;
  const closed = await deps.store.close(approval.id, approval.stage, 'expired', { decidedAt: now.toISOString(), decidedBy: [] });
  if (closed) await deps.audit.append(approval.runId, 'approval.deadline_passed', { approvalId, stage: approval.stage, then: 'rejected' });
  return closed;
}

/**
 * The workflow's own deadline passed (its `.waitForTaskToken` task timed out
 * and the definition says reject): close the call's approval as expired and
 * audit `approval.deadline_passed`. The state machine's timeout is the
 * deadline here, so the stored deadline is not re-checked (it can trail the
 * task's start by the time it took to store the approval).
 */
export async function expireApprovalOfCall(deps: ApprovalDeps, raw: unknown): Promise<{ expired: boolean; approvalId: string | null }> {
  const ref = approvalExpireInputSchema.parse(raw);
  const approvalId = await deps.store.approvalIdOfCall(ref.runId, ref.stepId, ref.toolUseId);
  if (!approvalId) return { expired: false, approvalId: null };
  const approval = await deps.store.get(approvalId);
  if (!approval || approval.status !== 'pending') return { expired: false, approvalId };
  const closed = await deps.store.close(approval.id, approval.stage, 'expired', { decidedAt: nowOf(deps).toISOString(), decidedBy: [] });
  if (closed) await deps.audit.append(approval.runId, 'approval.deadline_passed', { approvalId, stage: approval.stage, then: 'rejected' });
  return { expired: closed, approvalId };
}

/**
 * Before an approved tool call runs: the approval must be approved, for this
 * run and tool, and for exactly this input (same digest).
 *
 * @throws ApprovalNotFoundError, ApprovalMismatchError
 */
export async function assertApprovalCovers(
  store: ApprovalReader,
  approvalId: string,
  call: { runId: string; toolName: string; input: unknown },
): Promise<Approval> {
  const approval = await store.get(approvalId);
  if (!approval) throw new ApprovalNotFoundError(approvalId);
  if (approval.status !== 'approved') throw new ApprovalMismatchError(approvalId, `it is ${approval.status}, not approved`);
  if (approval.runId !== call.runId) throw new ApprovalMismatchError(approvalId, `it belongs to run ${approval.runId}`);
  if (!approval.call || approval.call.name !== call.toolName)
    throw new ApprovalMismatchError(approvalId, `it approves ${approval.call ? `tool ${approval.call.name}` : 'no tool call'}`);
  if (approval.inputDigest !== inputDigest(call.input)) throw new ApprovalMismatchError(approvalId, 'the input differs from the one approved');
  return approval;
}
