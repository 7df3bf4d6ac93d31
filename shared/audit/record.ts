/**
 * Audit records and their hash chain. Each record of a run holds the hash of
 * the record before it (the first holds GENESIS), and its own hash covers
 * its content and that link, so editing, deleting or reordering any record
 * breaks the chain at that point. The hash is an HMAC with the audit key
 * (Secrets Manager on AWS, the data folder locally): someone who can write
 * the table but not read the key cannot rewrite a chain with fresh hashes.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson } from '../rights/input-digest';

/** What each kind of record says; extra fields are allowed and covered by the hash. */
export interface AuditKinds {
  /**
   * `replayName`: the event was replayed from the archive (the same id, delivered again on purpose); `sentBy`: a person
   * put it on the bus by hand (`aios send-event`, `user@host`: their own word), so its source did not send it.
   */
  'event.received': { source: string; detailType: string; eventId?: string; replayName?: string; sentBy?: string };
  /**
   * `trigger`: event, schedule or manual. A manual start names who typed it (`operator`, `user@host`: their own word, as
   * for a CLI approval) and describes the event file they gave, if any (`source`, `detailType`, `eventId`).
   */
  'run.started': { workflowId: string; trigger?: string; operator?: string; via?: 'cli' };
  'model.called': { agentId: string; model: string; turn: number; inputTokens: number; outputTokens: number; costUsd: number };
  'rights.evaluated': {
    tool: string;
    agentId: string | null;
    toolUseId?: string;
    decision: 'allow' | 'approve' | 'deny';
    ruleId: string | null;
    reason: string;
    inputDigest: string;
    agentReason?: string;
    facts?: Record<string, unknown>;
  };
  'approval.requested': {
    approvalId: string;
    tool?: string;
    stage: 'primary' | 'escalation';
    approvers: string[];
    quorum: number;
    deadline: string;
    reason?: string | null;
  };
  'approval.decided': {
    approvalId: string;
    by: string;
    decision: 'approve' | 'reject';
    via: 'web' | 'cli' | 'console';
    /** Who typed a CLI decision (`user@host`): `by` is only their word there. */
    operator?: string;
    outcome: 'pending' | 'approved' | 'rejected' | 'cancelled';
    comment?: string;
  };
  /** Decided after the run stopped waiting: nothing was resumed, nothing approved. */
  'approval.cancelled': { approvalId: string; why: string };
  'approval.deadline_passed': { approvalId: string; stage: 'primary' | 'escalation'; then: 'rejected' | 'escalated' };
  'approval.escalated': { approvalId: string; approvers: string[]; quorum: number; deadline: string };
  'tool.ran': { tool: string; toolUseId?: string; status: 'ok' | 'error'; inputDigest?: string; approvalId?: string; summary?: string };
  'tool.refused': { tool: string; toolUseId?: string; why: string };
  'run.ended': { status: string; error?: string };
  /** A webhook delivery published twice started this execution too: it ended without acting; `duplicateOf` is the run. */
  'run.duplicate': { workflowId: string; delivery: string; duplicateOf: string; source: string; detailType: string };
  /** Someone signed in or out of the console, or was refused a page or an action. */
  'console.access': { person: string | null; what: 'signed_in' | 'signed_out' | 'forbidden'; path?: string; reason?: string };
  /** A steering control changed: a workflow paused or resumed, an agent suspended or resumed, a run stopped. */
  'control.changed': {
    by: string;
    target: 'workflow' | 'agent' | 'run';
    id: string;
    state: 'paused' | 'resumed' | 'suspended' | 'stopped';
    why: string | null;
  };
  /** In the index chain: a run that has an audit trail. */
  'run.indexed': { runId: string };
  /** An admin retired a knowledge item an agent remembered (wrong): no search finds it again. */
  'knowledge.retired': { by: string; namespace: string; docId: string; version: number; why: string };
}

export type AuditKind = keyof AuditKinds;

export const AUDIT_KINDS: readonly AuditKind[] = [
  'event.received',
  'run.started',
  'model.called',
  'rights.evaluated',
  'approval.requested',
  'approval.decided',
  'approval.deadline_passed',
  'approval.escalated',
  'approval.cancelled',
  'tool.ran',
  'tool.refused',
  'run.ended',
  'run.duplicate',
  'console.access',
  'control.changed',
  'run.indexed',
  'knowledge.retired',
];

export type AuditData<K extends AuditKind = AuditKind> = AuditKinds[K] & Record<string, unknown>;

export interface AuditRecord<K extends AuditKind = AuditKind> {
  runId: string;
  /** 1, 2, 3 … without gaps. */
  seq: number;
  kind: K;
  /** ISO 8601 time of the record. */
  at: string;
  data: AuditData<K>;
  /** Hash of record seq-1 (GENESIS for seq 1). */
  prevHash: string;
  /** Set on records appended at most once (the caller's idempotency key); covered by the hash. */
  once?: string;
  /** HMAC-SHA256 (hex) with the audit key over everything above. */
  hash: string;
}

export const GENESIS = '0'.repeat(64);

/** The hash a record must carry: HMAC-SHA256 with the audit key. */
export function recordHash(
  record: { runId: string; seq: number; kind: string; at: string; data: unknown; prevHash: string; once?: string },
  key: string | Buffer,
): string {
  const { runId, seq, kind, at, data, prevHash, once } = record;
  return createHmac('sha256', key)
    .update(canonicalJson({ runId, seq, kind, at, data, prevHash, ...(once !== undefined ? { once } : {}) }))
    .digest('hex');
}

export type ChainProblem =
  | { seq: number; problem: 'edited'; message: string }
  | { seq: number; problem: 'deleted'; message: string }
  | { seq: number; problem: 'reordered'; message: string }
  | { seq: number; problem: 'truncated'; message: string }
  | { seq: number; problem: 'appended'; message: string };

export interface ChainVerdict {
  runId: string;
  ok: boolean;
  count: number;
  problems: ChainProblem[];
}

/**
 * Verifies one run's records, given in stored order (by sort key), with
 * the position each was stored at. `head` is the last sequence and hash the
 * log committed (its head item, written before the record itself): records
 * past it were not appended by the log, and a missing head or fewer
 * records than it says mean records were deleted.
 */
export function verifyAuditChain(
  runId: string,
  stored: readonly { position: number; record: AuditRecord }[],
  head: { seq: number; hash: string } | undefined,
  key: string | Buffer,
): ChainVerdict {
  const problems: ChainProblem[] = [];
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const { position, record } of stored) {
    if (head && position > head.seq) {
      problems.push({
        seq: position,
        problem: 'appended',
        message: `record ${position} lies past record ${head.seq}, the last one the log wrote: it was added to the table by something else`,
      });
      continue;
    }
    if (record.seq !== position || record.runId !== runId) {
      problems.push({
        seq: position,
        problem: 'reordered',
        message: `record stored at ${position} says it is ${record.runId === runId ? `record ${record.seq}` : `from run ${record.runId}`}`,
      });
    }
    if (position !== expectedSeq) {
      const missing = expectedSeq === position - 1 ? `${expectedSeq}` : `${expectedSeq}–${position - 1}`;
      problems.push({
        seq: position,
        problem: 'deleted',
        message: `record${expectedSeq === position - 1 ? '' : 's'} ${missing} missing before record ${position}`,
      });
    } else if (record.prevHash !== prevHash) {
      problems.push({
        seq: position,
        problem: 'edited',
        message: `record ${position} does not link to record ${position - 1} (the earlier record was changed or replaced)`,
      });
    }
    if (recordHash(record, key) !== record.hash) {
      problems.push({
        seq: position,
        problem: 'edited',
        message: `record ${position} (${record.kind}) was changed after it was written: its hash does not match its content`,
      });
    }
    prevHash = record.hash;
    expectedSeq = position + 1;
  }
  const kept = stored.filter((s) => !head || s.position <= head.seq);
  if (!head) {
    if (stored.length > 0) problems.push({ seq: 0, problem: 'truncated', message: "the log's head (its last record and where the chain ends) is missing" });
  } else {
    const last = kept.at(-1);
    if (!last || last.position < head.seq) {
      problems.push({ seq: head.seq, problem: 'truncated', message: `the log recorded ${head.seq} records but only ${last?.position ?? 0} remain` });
    } else if (last.record.hash !== head.hash) {
      problems.push({ seq: head.seq, problem: 'edited', message: `record ${head.seq} is not the record the log wrote last` });
    }
  }
  return { runId, ok: problems.length === 0, count: kept.length, problems };
}
