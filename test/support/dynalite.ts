/**
 * Starts dynalite (a DynamoDB implementation) on 127.0.0.1 for a test file and
 * creates AIOS tables in it. Used by every contract test that needs DynamoDB.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAwsClients } from '../../shared/aws/clients';
import { DynamoDbTable, ensureTable } from '../../shared/storage/dynamodb-table';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server;

export interface DynaliteHandle {
  endpoint: string;
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
