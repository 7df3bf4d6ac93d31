/**
 * The tables AIOS needs. Every table has the same key schema (`pk`, `sk`,
 * both strings) so one adapter serves all; names come from the environment
 * (set by CDK on AWS and by the local runtime on one machine).
 */
import { awsClients } from './aws/clients';
import { DynamoDbTable } from './storage/dynamodb-table';
import type { Table } from './storage/table';

export const TABLES = {
  /** Knowledge documents and chunks. */
  knowledge: { env: 'AIOS_TABLE_KNOWLEDGE', default: 'aios-knowledge' },
  /** Run state: conversations, tool results, idempotency keys, approvals, counters, webhook dedupe. */
  state: { env: 'AIOS_TABLE_STATE', default: 'aios-state' },
  /** Append-only audit records, hash-chained per run. */
  audit: { env: 'AIOS_TABLE_AUDIT', default: 'aios-audit' },
} as const;

export type TableId = keyof typeof TABLES;

export function tableName(id: TableId, env: NodeJS.ProcessEnv = process.env): string {
  return env[TABLES[id].env] ?? TABLES[id].default;
}

const opened = new Map<string, Table>();

/** The table `id` through the process-wide client factory. */
export function openTable(id: TableId): Table {
  const name = tableName(id);
  let table = opened.get(name);
  if (!table) opened.set(name, (table = new DynamoDbTable(awsClients().dynamoDb(), name)));
  return table;
}

export function resetOpenTables(): void {
  opened.clear();
}
