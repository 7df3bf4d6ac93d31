import { MemoryTable } from '../../shared/storage/memory-table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { knowledgeStoreContract, readerAndWriter } from './knowledge-store.contract';

knowledgeStoreContract('MemoryTable', async () => new MemoryTable());
knowledgeStoreContract('MemoryTable, reader and writer apart', async () => new MemoryTable(), readerAndWriter);

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
knowledgeStoreContract('DynamoDbTable on dynalite', async () => dynalite.table());
knowledgeStoreContract('DynamoDbTable on dynalite, reader and writer apart', async () => dynalite.table(), readerAndWriter);
