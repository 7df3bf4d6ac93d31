/**
 * The DynamoDB-backed adapters of an environment: the tables and the audit
 * log (keyed with the environment's audit secret). Only the DynamoDB client
 * (and Secrets Manager for the audit key) is reached from here.
 */
import { AuditLog, AuditWriter } from '../audit/audit-log';
import type { Table } from '../storage/table';
import { openTable, tableName, type TableId } from '../tables';
import type { AiosEnvironment } from './environment';
import { auditKey } from './secrets';

export function table(env: AiosEnvironment, id: TableId): Table {
  return openTable(id, env.vars);
}

export function tableNameOf(env: AiosEnvironment, id: TableId): string {
  return tableName(id, env.vars);
}

export function stateTable(env: AiosEnvironment): Table {
  return openTable('state', env.vars);
}

/** The append-only audit log. */
export function auditLog(env: AiosEnvironment): AuditLog {
  return new AuditLog(openTable('audit', env.vars), undefined, { key: auditKey(env) });
}

/** The audit log for a function that only appends records (a smaller bundle than `auditLog`). */
export function auditWriter(env: AiosEnvironment): AuditWriter {
  return new AuditWriter(openTable('audit', env.vars), undefined, { key: auditKey(env) });
}
