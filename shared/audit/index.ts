/** The tamper-evident audit trail: one hash chain per run. */
export { AuditLog, auditPk, auditSk } from './audit-log';
export { AUDIT_KINDS, GENESIS, recordHash, verifyAuditChain, type AuditData, type AuditKind, type AuditKinds, type AuditRecord, type ChainProblem, type ChainVerdict } from './record';
export { AuditContentionError, AuditRunNotFoundError } from './errors';
