/**
 * An approval: one question to named people about one action, and the
 * quorum logic that turns their individual decisions into one outcome.
 */
export type ApprovalStage = 'primary' | 'escalation';
/** `cancelled`: decided after its run stopped waiting (stopped, failed, timed out): nothing was resumed. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
/**
 * What remains to do once an approval is closed by a decision: `pending`
 * (resume not attempted), `sending` (attempted, maybe delivered), `done`.
 */
export type ResumeState = 'pending' | 'sending' | 'done';
export type Vote = 'approve' | 'reject';

export interface ApprovalCall {
  toolUseId: string;
  name: string;
  input: unknown;
}

export interface Approval {
  /** Random, ≥128 bits, URL-safe. */
  id: string;
  status: ApprovalStatus;
  stage: ApprovalStage;
  /** The Step Functions task token of the current stage: server-side only, never in a link or page. */
  taskToken: string;
  runId: string;
  workflowId: string;
  stepId: string;
  agentId: string | null;
  /** The exact action; null for a workflow approval step that is not a tool call. */
  call: ApprovalCall | null;
  /**
   * The sentence the approvers are asked about (the tool's `describe(input)`, else the tool and its input), fixed when
   * asked: the page shows what the email said without carrying the tools' code. Absent on approvals from before it.
   */
  action?: string;
  /** What the agent said about why it wants to do this. */
  reason: string | null;
  /** The decision rule that asked for this approval, with its description (shown to approvers). */
  rule?: { id: string; description: string | null } | null;
  inputDigest: string | null;
  subject: string | null;
  details: unknown;
  approvers: string[];
  quorum: number;
  /** ISO time the current stage ends. */
  deadline: string;
  createdAt: string;
  /** ISO time the current stage started (== createdAt unless escalated). */
  stageStartedAt: string;
  /** Earlier stages, for the record. */
  history: { stage: ApprovalStage; approvers: string[]; quorum: number; deadline: string }[];
  decidedAt?: string;
  decidedBy?: string[];
  /** Set when a decision closes the approval, in the same conditional write: the resume still owed. */
  resume?: ResumeState;
}

export interface ApprovalDecision {
  approvalId: string;
  stage: ApprovalStage;
  approver: string;
  vote: Vote;
  comment: string | null;
  at: string;
  via: 'web' | 'cli' | 'console';
  /**
   * Who typed the decision, as the machine knows them (`user@host`), when the person is only named by it: the CLI's
   * `--as` is the operator's word, so the record keeps whose word it was. The page and the console prove the person.
   */
  operator?: string;
  /** False until its `approval.decided` audit record is written; absent on decisions from before this field. */
  audited?: boolean;
}

/** What the waiting task receives (SendTaskSuccess output, contract shape). */
export type { ApprovalOutcome } from '../contracts/run-fields';

export interface Tally {
  outcome: 'pending' | 'approved' | 'rejected';
  approvals: string[];
  rejections: string[];
  quorum: number;
  of: number;
}

/** Whether the approval asked this person, in its current stage or an earlier one. */
export function wasAsked(approval: Pick<Approval, 'approvers' | 'history'>, personId: string): boolean {
  return approval.approvers.includes(personId) || approval.history.some((h) => h.approvers.includes(personId));
}

/** Everyone the approval asked, in any stage, once each. */
export function everyoneAsked(approval: Pick<Approval, 'approvers' | 'history'>): string[] {
  return [...new Set([...approval.approvers, ...approval.history.flatMap((h) => h.approvers)])];
}

/**
 * The outcome of a stage: approved once `quorum` different approvers
 * approved; rejected once so many rejected that the quorum can no longer be
 * reached; pending otherwise. Decisions by people who are not approvers of
 * the stage are ignored.
 */
export function tally(approvers: readonly string[], quorum: number, decisions: readonly Pick<ApprovalDecision, 'approver' | 'vote'>[]): Tally {
  const eligible = new Set(approvers);
  const approvals = new Set<string>();
  const rejections = new Set<string>();
  for (const d of decisions) {
    if (!eligible.has(d.approver) || approvals.has(d.approver) || rejections.has(d.approver)) continue;
    (d.vote === 'approve' ? approvals : rejections).add(d.approver);
  }
  const outcome = approvals.size >= quorum ? 'approved' : eligible.size - rejections.size < quorum ? 'rejected' : 'pending';
  return { outcome, approvals: [...approvals], rejections: [...rejections], quorum, of: eligible.size };
}
