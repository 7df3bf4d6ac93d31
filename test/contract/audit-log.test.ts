import { MemoryTable } from '../../shared/storage/memory-table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { auditLogContract } from './audit-log.contract';

auditLogContract('MemoryTable', async () => new MemoryTable());

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
auditLogContract('DynamoDbTable on dynalite', async () => dynalite.table());
