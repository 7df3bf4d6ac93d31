/** The tamper-evident audit trail: one keyed hash chain per run, and an index of runs. */
export { AuditLog, AuditWriter, auditPk, auditSk, type AuditLogOptions } from './audit-log';
export { AUDIT_CHAIN_KEY, secretAuditKey, type AuditKeyPort } from './audit-key';
export {
  AUDIT_KINDS,
  GENESIS,
  recordHash,
  verifyAuditChain,
  type AuditData,
  type AuditKind,
  type AuditKinds,
  type AuditRecord,
  type ChainProblem,
  type ChainVerdict,
} from './record';
export { AuditContentionError, AuditRunIdTooLongError, AuditRunNotFoundError, MAX_RUN_ID_CHARS } from './errors';
