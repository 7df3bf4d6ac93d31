/** Typed errors of approvals. */
import { AiosError } from '../errors';

export class ApprovalNotFoundError extends AiosError {
  constructor(id: string) {
    super('Approval.NotFound', `no approval "${id}"`, { id });
  }
}

/** A decision that cannot be taken (not an approver, decided, expired, escalated). */
export class ApprovalRefusedError extends AiosError {
  constructor(id: string, why: string, details: Record<string, unknown> = {}) {
    super('Approval.Refused', `approval ${id}: ${why}`, { id, ...details });
  }
}

/** A tool call that the named approval does not cover (other input, tool or run, or not approved). */
export class ApprovalMismatchError extends AiosError {
  constructor(id: string, why: string) {
    super('Approval.Mismatch', `approval ${id} does not cover this call: ${why}`, { id });
  }
}

export class InvalidApprovalRequestError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Approval.InvalidRequest', message, details);
  }
}
