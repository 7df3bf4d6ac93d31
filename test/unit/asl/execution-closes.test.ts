/** SUCCEEDED closes that append to their rows go to the store many to a statement: each row gets its own chunk, stop time and output. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExecutionStore } from '../../../local/stepfunctions/store';
import { executionRow } from '../../support/execution-rows';

let dir: string;
let store: ExecutionStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aios-closes-'));
  store = new ExecutionStore(path.join(dir, 'stepfunctions.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const stored = (id: number) =>
  store.db.prepare('SELECT status, stopped, output, error, cause, history, root FROM executions WHERE id = ?').get(id) as Record<string, unknown>;

test('closes in one transaction, in runs of one stop time and output of any length, each close their own row', () => {
  const ids = Array.from({ length: 60 }, (_, i) => i + 1);
  store.transaction(() => {
    for (const id of ids) store.queueExecution(executionRow(id), `first ${id}`, `{"id":${id}}`);
    store.flushExecutions();
  });
  // Runs of 1, 2, 16, 17 and 24 closes sharing their stop time and output; one execution already closed is left as it was.
  const stop = (id: number) => (id <= 1 ? 100 : id <= 3 ? 200 : id <= 19 ? 300 : id <= 36 ? 400 : 500);
  const output = (id: number) => (id <= 36 ? '{"ok":true}' : `{"n":${id}}`.slice(0, id % 2 ? 6 : 8));
  store.transaction(() =>
    store.insertChunk(60, 2, 2, 'closed first', true, { id: 60, status: 'SUCCEEDED', stopped: 1, output: '1', error: null, cause: null }),
  );
  store.transaction(() => {
    for (const id of ids)
      store.insertChunk(id, 2, 3, `last ${id}`, true, { id, status: 'SUCCEEDED', stopped: stop(id), output: output(id), error: null, cause: null });
  });
  for (const id of ids.slice(0, 59))
    expect(stored(id)).toEqual({
      status: 'SUCCEEDED',
      stopped: stop(id),
      output: output(id),
      error: null,
      cause: null,
      history: `first ${id}#last ${id}`,
      root: null,
    });
  expect(stored(60)).toEqual({ status: 'SUCCEEDED', stopped: 1, output: '1', error: null, cause: null, history: 'first 60#closed first', root: null });
});

test('closes buffered by a transaction that failed are not written by the next one', () => {
  store.transaction(() => {
    store.queueExecution(executionRow(1), 'first', '{}');
    store.queueExecution(executionRow(2), 'first', '{}');
    store.flushExecutions();
  });
  const close = (id: number) => ({ id, status: 'SUCCEEDED', stopped: 5, output: 'null', error: null, cause: null });
  expect(() =>
    store.transaction(() => {
      store.insertChunk(1, 2, 2, 'lost', true, close(1));
      throw new Error('the batch failed');
    }),
  ).toThrow('the batch failed');
  store.transaction(() => store.insertChunk(2, 2, 2, 'kept', true, close(2)));
  expect(stored(1)).toMatchObject({ status: 'RUNNING', history: 'first', root: '{}' });
  expect(stored(2)).toMatchObject({ status: 'SUCCEEDED', history: 'first#kept', root: null });
});
