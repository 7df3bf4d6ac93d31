import { MemoryTable } from '../../shared/storage/memory-table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { knowledgeStoreContract } from './knowledge-store.contract';

knowledgeStoreContract('MemoryTable', async () => new MemoryTable());

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
knowledgeStoreContract('DynamoDbTable on dynalite', async () => dynalite.table());
