/** The execution store upgrades a version 1 file in place: history, listing and resume keep working. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { encodeChunk } from '../../../local/stepfunctions/history-chunk';
import { ExecutionStore } from '../../../local/stepfunctions/store';

const V1 = `
CREATE TABLE state_machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER, revision TEXT NOT NULL);
CREATE TABLE definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE executions (id INTEGER PRIMARY KEY, arn TEXT NOT NULL UNIQUE, sm_arn TEXT NOT NULL, name TEXT NOT NULL, def_hash TEXT NOT NULL, role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL, started INTEGER NOT NULL, stopped INTEGER, output TEXT, error TEXT, cause TEXT, timeout_at INTEGER);
CREATE INDEX executions_by_machine ON executions(sm_arn, started DESC, arn);
CREATE TABLE history (exec INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, events TEXT NOT NULL, PRIMARY KEY (exec, first)) WITHOUT ROWID;
CREATE TABLE frames (id INTEGER PRIMARY KEY, exec TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX frames_by_exec ON frames(exec);
CREATE TABLE tokens (token TEXT PRIMARY KEY, exec TEXT NOT NULL, frame INTEGER NOT NULL, status TEXT NOT NULL);
CREATE INDEX tokens_by_exec ON tokens(exec);
PRAGMA user_version = 1;
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aios-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a version 1 store is migrated: its history, executions and paging survive', () => {
  const file = path.join(dir, 'stepfunctions.sqlite');
  const old = new Database(file);
  old.exec(V1);
  const sm = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
  const insert = old.prepare("INSERT INTO executions (id, arn, sm_arn, name, def_hash, role_arn, input, status, started) VALUES (?, ?, ?, ?, 'h', 'r', '{}', 'RUNNING', ?)");
  for (let id = 1; id <= 3; id++) insert.run(id, `arn:aws:states:us-east-1:123456789012:execution:m:e${id}`, sm, `e${id}`, 1000 + id);
  const chunk = (first: number, n: number) => encodeChunk(Array.from({ length: n }, (_, i) => [first + i, 5000, 'PassStateEntered', first + i - 1, `S${first + i}`, 'input', { i: first + i }] as never));
  const putChunk = old.prepare('INSERT INTO history (exec, first, last, events) VALUES (?, ?, ?, ?)');
  putChunk.run(2, 1, 3, chunk(1, 3));
  putChunk.run(2, 4, 5, chunk(4, 2));
  putChunk.run(3, 1, 1, chunk(1, 1));
  old.close();

  const store = new ExecutionStore(file);
  try {
    expect(store.db.pragma('user_version', { simple: true })).toBe(2);
    expect(store.history(2, 0, 100, false).map((e) => e[0])).toEqual([1, 2, 3, 4, 5]);
    expect(store.history(2, 3, 100, false).map((e) => e[6])).toEqual([{ i: 4 }, { i: 5 }]);
    expect(store.history(2, 5, 2, true).map((e) => e[0])).toEqual([4, 3]);
    expect(store.maxEventId(2)).toBe(5);
    expect(store.maxEventId(3)).toBe(1);
    expect(store.maxEventId(1)).toBe(0);
    // Newest first, paged by (started, id).
    const page1 = store.listExecutions(sm, null, null, 2);
    expect(page1.map((r) => r.name)).toEqual(['e3', 'e2']);
    expect(store.listExecutions(sm, null, { started: page1[1].started, id: page1[1].id }, 2).map((r) => r.name)).toEqual(['e1']);
    // New chunks go after the migrated ones.
    store.insertChunk(2, 6, 6, chunk(6, 1));
    expect(store.history(2, 0, 100, false).map((e) => e[0])).toEqual([1, 2, 3, 4, 5, 6]);
  } finally {
    store.close();
  }
  // Reopening a migrated file changes nothing.
  const again = new ExecutionStore(file);
  expect(again.maxEventId(2)).toBe(6);
  again.close();
});

test('a store from an unknown schema version is refused, not overwritten', () => {
  const file = path.join(dir, 'stepfunctions.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE executions (id INTEGER PRIMARY KEY); PRAGMA user_version = 99;');
  db.close();
  expect(() => new ExecutionStore(file)).toThrow(/schema 99/);
});
