/**
 * Approvals on the `Table` port (the `state` table):
 *   pk `approval#<id>`  sk `approval`                     the approval
 *   pk `approval#<id>`  sk `decision#<stage>#<approver>`  one decision per approver and stage
 *   pk `approval-call#<runId>#<stepId>#<toolUseId>`  sk `approval`  which approval a call has
 *   pk `approval-todo`  sk `<id>#<stage>#<approver>`  a decision whose effects may be unfinished
 * Every state change is a conditional write: a decision only if that
 * approver has none yet, the status only from `pending` (so exactly one
 * writer wins the transition that resumes the workflow). The console finds
 * approvals through the entries of ./approval-index.ts, written before each
 * change they list.
 */
import { randomBytes } from 'node:crypto';
import { itemsWriterOf, type ItemsWriter } from '../storage/items-writer';
import { ConditionFailedError, queryAll, type Item, type Table } from '../storage/table';
import type { Approval, ApprovalDecision, ApprovalStage, ApprovalStatus, ResumeState } from './approval';
import { OPEN_PK, askedOf, closedEntry, entriesOfNew } from './approval-index';

const SK = 'approval';
const TODO_PK = 'approval-todo';
const todoSk = (id: string, stage: ApprovalStage, approver: string) => `${id}#${stage}#${approver}`;
const pk = (id: string) => `approval#${id}`;
const callPk = (runId: string, stepId: string, toolUseId: string | null) => `approval-call#${runId}#${stepId}#${toolUseId ?? '-'}`;

/** 144 random bits, base64url (24 characters). */
export function newApprovalId(): string {
  return randomBytes(18).toString('base64url');
}

function toApproval(item: Item): Approval {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Approval;
}

/** An approval by id; undefined for an id that cannot be one. */
export async function readApproval(table: Table, id: string): Promise<Approval | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  const item = await table.get({ pk: pk(id), sk: SK });
  return item ? toApproval(item) : undefined;
}

/** What checking an approval needs of the store. */
export type ApprovalReader = Pick<ApprovalStore, 'get'>;

/** Reads approvals only: a tool function checks one and writes none, so its bundle need not carry the store's writes. */
export function approvalReader(table: Table): ApprovalReader {
  return { get: (id) => readApproval(table, id) };
}

export class ApprovalStore {
  /**
   * `writeItems` puts index entries (unconditional all) in one request where the table writes in batches (the approval
   * request's: items-writer.ts); by default one put each (itemsWriterOf). Only a function that builds the batch writer
   * carries BatchWriteItem: bundles drop what they never call.
   */
  constructor(
    private readonly table: Table,
    private readonly writeItems: ItemsWriter = itemsWriterOf(table),
  ) {}

  async get(id: string): Promise<Approval | undefined> {
    return readApproval(this.table, id);
  }

  /**
   * The approval and every decision on it, in one query of its partition
   * (the page a link opens shows both: one round trip instead of two).
   */
  async getWithDecisions(id: string): Promise<{ approval: Approval | undefined; decisions: ApprovalDecision[] }> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return { approval: undefined, decisions: [] };
    const items = await queryAll(this.table, pk(id));
    const item = items.find((i) => i.sk === SK);
    return {
      approval: item ? toApproval(item) : undefined,
      decisions: items.filter((i) => i.sk.startsWith('decision#')).map((i) => toApproval(i) as unknown as ApprovalDecision),
    };
  }

  /** Stores a new approval, listed first. @throws ConditionFailedError if the id exists */
  async create(approval: Approval): Promise<void> {
    await this.writeItems(entriesOfNew(approval));
    await this.table.put({ pk: pk(approval.id), sk: SK, ...approval } as Item, { itemExists: false });
  }

  /**
   * Claims the approval slot of one call (run, step, tool use): returns the
   * id already claimed, or claims `id` and returns it.
   */
  async claimCall(runId: string, stepId: string, toolUseId: string | null, id: string): Promise<{ id: string; created: boolean }> {
    try {
      await this.table.put({ pk: callPk(runId, stepId, toolUseId), sk: SK, approvalId: id }, { itemExists: false });
      return { id, created: true };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const existing = await this.table.get({ pk: callPk(runId, stepId, toolUseId), sk: SK });
      return { id: String(existing?.approvalId), created: false };
    }
  }

  /** The approval id a call (run, step, tool use) has, if any. */
  async approvalIdOfCall(runId: string, stepId: string, toolUseId: string | null): Promise<string | undefined> {
    const item = await this.table.get({ pk: callPk(runId, stepId, toolUseId), sk: SK });
    return item ? String(item.approvalId) : undefined;
  }

  /** Records one approver's decision; false when that approver already decided in this stage. */
  async recordDecision(decision: ApprovalDecision): Promise<boolean> {
    try {
      await this.table.put({ pk: pk(decision.approvalId), sk: `decision#${decision.stage}#${decision.approver}`, ...decision } as Item, { itemExists: false });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  async decisions(id: string, stage?: ApprovalStage): Promise<ApprovalDecision[]> {
    const items = await queryAll(this.table, pk(id), { skPrefix: stage ? `decision#${stage}#` : 'decision#' });
    return items.map((i) => toApproval(i) as unknown as ApprovalDecision);
  }

  /**
   * Moves a pending approval of `stage` to a final status. Returns true for
   * the one caller that made the transition, false for everyone else.
   */
  async close(id: string, stage: ApprovalStage, status: Exclude<ApprovalStatus, 'pending'>, changes: Partial<Approval>): Promise<boolean> {
    await this.table.put(closedEntry(id, changes.decidedAt ?? new Date().toISOString()));
    const closed = await this.updateWhilePending(id, stage, { ...changes, status });
    if (closed) await this.table.delete({ pk: OPEN_PK, sk: id });
    return closed;
  }

  /** Lists the approval as asked of its approvers (before a stage that asks others). */
  async listApprovers(approval: Pick<Approval, 'id' | 'runId' | 'createdAt' | 'approvers'>): Promise<void> {
    await this.writeItems(askedOf(approval));
  }

  /** Changes a pending approval of `stage` (new task token, escalation). False when it is no longer pending in that stage. */
  async updatePending(id: string, stage: ApprovalStage, changes: Partial<Approval>): Promise<boolean> {
    return this.updateWhilePending(id, stage, changes);
  }

  /** The one conditional write behind every status change: only while pending in `stage`. */
  private async updateWhilePending(id: string, stage: ApprovalStage, set: Partial<Approval>): Promise<boolean> {
    try {
      await this.table.update(
        { pk: pk(id), sk: SK },
        { set: set as Record<string, unknown> },
        {
          all: [
            { field: 'status', op: 'eq', value: 'pending' },
            { field: 'stage', op: 'eq', value: stage },
          ],
        },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /**
   * Notes, before a decision is written, that its effects (audit record,
   * closing, resuming) are owed; cleared when they are done. What a crash
   * leaves here is finished by the reconciler.
   */
  async markTodo(id: string, stage: ApprovalStage, approver: string, at: Date): Promise<void> {
    await this.table.put({ pk: TODO_PK, sk: todoSk(id, stage, approver), approvalId: id, at: at.toISOString() });
  }

  async clearTodo(id: string, stage: ApprovalStage, approver: string): Promise<void> {
    await this.table.delete({ pk: TODO_PK, sk: todoSk(id, stage, approver) });
  }

  /** Decisions whose effects may be unfinished, oldest note first. */
  async todos(): Promise<{ approvalId: string; stage: ApprovalStage; approver: string; at: string }[]> {
    const items = await queryAll(this.table, TODO_PK);
    return items
      .map((i) => {
        const [approvalId, stage, ...rest] = String(i.sk).split('#');
        return { approvalId, stage: stage as ApprovalStage, approver: rest.join('#'), at: String(i.at) };
      })
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Records that a decision's `approval.decided` audit record exists. */
  async markAudited(decision: Pick<ApprovalDecision, 'approvalId' | 'stage' | 'approver'>): Promise<void> {
    await this.table.update({ pk: pk(decision.approvalId), sk: `decision#${decision.stage}#${decision.approver}` }, { set: { audited: true } });
  }

  /** Moves the resume state of a closed approval from `from` (absent: any) to `to`; false when it was not `from`. */
  async setResume(id: string, from: ResumeState | undefined, to: ResumeState, changes: Partial<Approval> = {}): Promise<boolean> {
    try {
      await this.table.update(
        { pk: pk(id), sk: SK },
        { set: { ...changes, resume: to } as Record<string, unknown> },
        from ? { all: [{ field: 'resume', op: 'eq', value: from }] } : undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /** Every approval (a scan of the whole table: for `aios approvals --all` and the index's first fill, not pages). */
  async list(): Promise<Approval[]> {
    const items = await this.table.scan({ pkPrefix: 'approval#' });
    return items.filter((i) => i.sk === SK).map(toApproval);
  }
}
