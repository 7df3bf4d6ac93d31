import { MemoryTable } from '../../shared/storage/memory-table';
import { startDynalite, type DynaliteHandle } from '../support/dynalite';
import { tableContract } from './table.contract';

tableContract('MemoryTable', async () => new MemoryTable());

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
tableContract('DynamoDbTable on dynalite', async () => dynalite.table());
