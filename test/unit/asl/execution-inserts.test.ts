/** New execution rows go to the store many to a statement, and a failed transaction's rows are never written by the next one. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExecutionStore, type ExecutionRow } from '../../../local/stepfunctions/store';
import { executionRow } from '../../support/execution-rows';

const row = (id: number): ExecutionRow => executionRow(id, { input: `{"n":${id}}` });

let dir: string;
let store: ExecutionStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aios-inserts-'));
  store = new ExecutionStore(path.join(dir, 'stepfunctions.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('rows queued in one transaction are all written, in order, whatever their number', () => {
  store.transaction(() => {
    for (let id = 1; id <= 37; id++) store.queueExecution(row(id), null, id % 2 ? `{"id":${id}}` : null);
    store.flushExecutions();
  });
  const ids = store.db.prepare('SELECT id FROM executions ORDER BY rowid').pluck().all();
  expect(ids).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
  for (const id of [1, 16, 17, 32, 33, 37]) expect(store.getExecution(row(id).arn)).toEqual(row(id));
  expect(store.runningExecutions().find((r) => r.id === 17)?.root).toBe('{"id":17}');
});

test('rows queued by a transaction that failed are not written by the next one', () => {
  expect(() =>
    store.transaction(() => {
      store.queueExecution(row(1), null, null);
      throw new Error('the batch failed');
    }),
  ).toThrow('the batch failed');
  store.transaction(() => {
    store.queueExecution(row(2), null, null);
    store.flushExecutions();
  });
  expect(store.db.prepare('SELECT id FROM executions').pluck().all()).toEqual([2]);
});
