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
