/**
 * Who sees what in the console. A person with the role `admin` sees and
 * controls everything. Anyone else sees the approvals they are (or were)
 * asked for and the runs those approvals belong to, and controls nothing.
 */
import { wasAsked, type Approval } from '../approvals/approval';
import type { ApprovalPerson } from '../approvals/approval-service';

export const ADMIN_ROLE = 'admin';

/** The signed-in person as every page sees them. */
export interface Viewer {
  person: ApprovalPerson;
  admin: boolean;
  /** The session's CSRF token, put into every form. */
  csrf: string;
}

export function viewerOf(person: ApprovalPerson, csrf: string): Viewer {
  return { person, admin: person.roles.includes(ADMIN_ROLE), csrf };
}

/** Whether the viewer is asked (in any stage) to decide the approval. */
export function isAskedToDecide(viewer: Viewer, approval: Pick<Approval, 'approvers' | 'history'>): boolean {
  return wasAsked(approval, viewer.person.id);
}

export function maySeeApproval(viewer: Viewer, approval: Pick<Approval, 'approvers' | 'history'>): boolean {
  return viewer.admin || isAskedToDecide(viewer, approval);
}

/** A run is visible to an admin, or to someone asked to decide one of its approvals. */
export function maySeeRun(viewer: Viewer, approvalsOfRun: readonly Pick<Approval, 'approvers' | 'history'>[]): boolean {
  return viewer.admin || approvalsOfRun.some((a) => isAskedToDecide(viewer, a));
}

/** Pausing workflows, stopping runs and suspending agents. */
export function maySteer(viewer: Viewer): boolean {
  return viewer.admin;
}
