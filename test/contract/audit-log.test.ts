import { AuditLog } from '../../shared/audit';
import { MemoryTable } from '../../shared/storage/memory-table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { auditLogContract } from './audit-log.contract';

auditLogContract('MemoryTable', async () => new MemoryTable());
// As the local runtime composes it: appends start from the head this process wrote last.
auditLogContract('MemoryTable, remembering heads', async () => new MemoryTable(), { rememberHeads: true });

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
auditLogContract('DynamoDbTable on dynalite', async () => dynalite.table());
auditLogContract('DynamoDbTable on dynalite, remembering heads', async () => dynalite.table(), { rememberHeads: true });

test('a remembered head another writer moved on is read again, and the chain stays whole', async () => {
  const table = new MemoryTable();
  const key = { key: async () => 'k' };
  const here = new AuditLog(table, undefined, { ...key, rememberHeads: true });
  const elsewhere = new AuditLog(table, undefined, key);
  await here.append('r', 'run.started', { workflowId: 'w' });
  await elsewhere.append('r', 'tool.ran', { tool: 't', status: 'ok' });
  await here.append('r', 'run.ended', { status: 'succeeded' });
  expect((await here.records('r')).map((r) => [r.seq, r.kind])).toEqual([
    [1, 'run.started'],
    [2, 'tool.ran'],
    [3, 'run.ended'],
  ]);
  expect((await here.verify('r')).ok).toBe(true);
});
