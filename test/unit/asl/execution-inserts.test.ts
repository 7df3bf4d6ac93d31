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

test('rows of several machines, named or generated, running or closed, are read back as written whatever shape their statement had', () => {
  const other = 'arn:aws:states:us-east-1:123456789012:stateMachine:other';
  const rows: ExecutionRow[] = [];
  for (let id = 1; id <= 40; id++) {
    const r = executionRow(id, { sm_arn: id % 7 === 0 ? other : undefined, input: `{"n":${id}}` });
    // Values an SQL literal must quote, and a role that changes within the run of one machine.
    r.role_arn = id > 20 ? "arn:aws:iam::123456789012:role/it's" : r.role_arn;
    if (id % 5 === 0) Object.assign(r, { status: 'SUCCEEDED', stopped: 5000 + id, output: `{"out":${id}}` });
    if (id % 6 === 0) Object.assign(r, { status: 'FAILED', stopped: 6000 + id, error: 'E', cause: "it's" });
    if (id % 9 === 0) Object.assign(r, { name: `chosen-${id}`, arn: `${r.sm_arn.replace(':stateMachine:', ':execution:')}:chosen-${id}` });
    if (id % 4 === 0) r.timeout_at = 9000 + id;
    rows.push(r);
  }
  store.transaction(() => {
    for (const r of rows) store.queueExecution(r, null, r.status === 'RUNNING' ? `{"id":${r.id}}` : null);
    store.flushExecutions();
  });
  for (const r of rows) expect(store.getExecution(r.arn)).toEqual(r);
  const running = new Map(store.runningExecutions().map((r) => [r.id, r.root]));
  expect([...running.keys()].sort((a, b) => a - b)).toEqual(rows.filter((r) => r.status === 'RUNNING').map((r) => r.id));
  for (const [id, root] of running) expect(root).toBe(`{"id":${id}}`);
});
