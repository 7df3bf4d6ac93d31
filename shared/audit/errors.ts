/** Typed errors of the audit trail. */
import { AiosError } from '../errors';

/** Appending kept losing the race for the next sequence number. */
export class AuditContentionError extends AiosError {
  constructor(runId: string, attempts: number) {
    super('Audit.Contention', `could not append to the audit trail of run ${runId} after ${attempts} attempts`, { runId, attempts });
  }
}

/** A run with no audit records. */
export class AuditRunNotFoundError extends AiosError {
  constructor(runId: string) {
    super('Audit.RunNotFound', `no audit records for run "${runId}"`, { runId });
  }
}

/** Run ids are execution names (at most 80 characters); far past that a key is longer than the table takes (2 KB). */
export const MAX_RUN_ID_CHARS = 256;

/** A run id no run can have: longer than any key of the table (asked as is, DynamoDB would answer with its own validation error). */
export class AuditRunIdTooLongError extends AiosError {
  constructor(runId: string) {
    super('Audit.RunIdTooLong', `a run id is at most ${MAX_RUN_ID_CHARS} characters; this one has ${runId.length}`, { length: runId.length });
  }
}
