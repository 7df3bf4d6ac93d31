import { MemoryTable } from '../../shared/storage/memory-table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { approvalStoreContract } from './approval-store.contract';

approvalStoreContract('MemoryTable', async () => ({ state: new MemoryTable('state'), audit: new MemoryTable('audit') }));

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
approvalStoreContract('DynamoDbTable on dynalite', async () => ({ state: await dynalite.table(), audit: await dynalite.table() }));
