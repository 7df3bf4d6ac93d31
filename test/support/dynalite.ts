/**
 * Starts dynalite (a DynamoDB implementation) on 127.0.0.1 for a test file and
 * creates AIOS tables in it. Used by every contract test that needs DynamoDB.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../shared/aws/clients';
import { DynamoDbTable, ensureTable } from '../../shared/storage/dynamodb-table';
import { MemoryTable } from '../../shared/storage/memory-table';
import type { Table } from '../../shared/storage/table';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server;

export interface DynaliteHandle {
  endpoint: string;
  /** The SDK client the tables use (closed with the server). */
  client: DynamoDBClient;
  /** A fresh table with AIOS's key schema (unique name per call unless given). */
  table(name?: string): Promise<DynamoDbTable>;
  close(): Promise<void>;
}

let counter = 0;

export async function startDynalite(options: { path?: string } = {}): Promise<DynaliteHandle> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createAwsClients({ endpoint, region: 'us-east-1' }, {}).dynamoDb();
  return {
    endpoint,
    client,
    async table(name = `t${process.pid}-${counter++}`) {
      await ensureTable(client, name);
      return new DynamoDbTable(client, name);
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * `describe.each` rows for a contract over a port built on a table: on the memory table, and on a dynalite table
 * through the real SDK client (the server is the test file's, started in its `beforeAll`).
 */
export function onMemoryAndDynalite<P>(
  server: () => DynaliteHandle,
  labels: readonly [memory: string, dynalite: string],
  port: { memory(table: Table): P; dynamodb(client: DynamoDBClient, tableName: string): P },
): [string, () => Promise<[Table, P]>][] {
  return [
    [
      labels[0],
      async () => {
        const table = new MemoryTable('state');
        return [table, port.memory(table)];
      },
    ],
    [
      labels[1],
      async () => {
        const table = await server().table();
        return [table, port.dynamodb(server().client, table.name)];
      },
    ],
  ];
}
