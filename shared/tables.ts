/**
 * The tables AIOS needs. Every table has the same key schema (`pk`, `sk`,
 * both strings) so one adapter serves all; names come from the environment
 * (set by CDK on AWS and by the local runtime on one machine).
 */
import { dynamoDbClient } from './aws/dynamodb';
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

// Per client, then per name: an environment pointing at another endpoint gets another client and so other tables.
const opened = new WeakMap<object, Map<string, Table>>();

/** The table `id` on the DynamoDB endpoint the environment names (one adapter per client and name). */
export function openTable(id: TableId, env: NodeJS.ProcessEnv = process.env): Table {
  const client = dynamoDbClient({}, env);
  const name = tableName(id, env);
  let byName = opened.get(client);
  if (!byName) opened.set(client, (byName = new Map()));
  let table = byName.get(name);
  if (!table) byName.set(name, (table = new DynamoDbTable(client, name)));
  return table;
}
