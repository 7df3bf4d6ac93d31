import { dynamoDbItemsWriter } from '../../shared/storage/items-writer';
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
// As the approval request writes: a new approval's index entries in one BatchWriteItem.
approvalStoreContract('DynamoDbTable on dynalite', async () => {
  const state = await dynalite.table();
  return { state, audit: await dynalite.table(), writeItems: dynamoDbItemsWriter(dynalite.client, state.name) };
});
