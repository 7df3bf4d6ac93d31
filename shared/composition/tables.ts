/**
 * The DynamoDB-backed adapters of an environment: the tables and the audit
 * log (keyed with the environment's audit secret). Only the DynamoDB client
 * (and Secrets Manager for the audit key) is reached from here.
 */
import { AuditLog } from '../audit/audit-log';
import { isLoopback } from '../aws/client-config';
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

/**
 * The append-only audit log. On one machine every function appends from the runtime's one process,
 * so each append starts from the head the last one wrote; on AWS each reads the head.
 */
export function auditLog(env: AiosEnvironment): AuditLog {
  return new AuditLog(openTable('audit', env.vars), undefined, { key: auditKey(env), rememberHeads: isLoopback(env.endpoint) });
}
