/**
 * Where the console finds approvals without scanning the `state` table. A
 * scan reads every item of it (every conversation of every run) to find the
 * approvals among them: the console's pages grew with all history (20,000
 * conversation items of 4 KB, locally: the home page 2.8 s, the approvals page
 * 1.8 s). These items list approvals by what the pages ask; each is written
 * BEFORE the change it lists, so a crash leaves an entry too many, never one
 * too few, and a reader checks each against the approval itself:
 *   pk `approval-open`                sk `<id>`             an approval that may be pending (`at`: when listed)
 *   pk `run#<runId>`                  sk `approval#<id>`    the run's approvals
 *   pk `approver#<personId>`          sk `<createdAt>#<id>` approvals a person was asked to decide
 *   pk `approval-closed#<YYYY-MM>`    sk `<at>#<id>`        approvals that may have closed that month
 */
import type { Item } from '../storage/table';
import type { Approval } from './approval';

export const OPEN_PK = 'approval-open';
export const runApprovalsPk = (runId: string) => `run#${runId}`;
export const RUN_APPROVAL_SK = 'approval#';
export const approverPk = (personId: string) => `approver#${personId}`;
export const closedPk = (month: string) => `approval-closed#${month}`;

/** The partitions (IAM `dynamodb:LeadingKeys` patterns) of a new approval's entries, written in one batch by the approval request. */
export const APPROVAL_INDEX_PARTITIONS: readonly string[] = [OPEN_PK, runApprovalsPk('*'), approverPk('*')];

/** The entries that list a new approval: open, of its run, and asked of each approver. */
export function entriesOfNew(approval: Pick<Approval, 'id' | 'runId' | 'createdAt' | 'approvers'>): Item[] {
  return [
    { pk: OPEN_PK, sk: approval.id, runId: approval.runId, at: approval.createdAt },
    { pk: runApprovalsPk(approval.runId), sk: `${RUN_APPROVAL_SK}${approval.id}` },
    ...askedOf(approval),
  ];
}

/** The entries that list an approval as asked of each of `approvers`. */
export function askedOf(approval: Pick<Approval, 'id' | 'runId' | 'createdAt' | 'approvers'>): Item[] {
  return approval.approvers.map((personId) => ({
    pk: approverPk(personId),
    sk: `${approval.createdAt}#${approval.id}`,
    approvalId: approval.id,
    runId: approval.runId,
  }));
}

/** The entry that lists an approval as closed at `at` (ISO). */
export function closedEntry(id: string, at: string): Item {
  return { pk: closedPk(at.slice(0, 7)), sk: `${at}#${id}`, approvalId: id };
}
