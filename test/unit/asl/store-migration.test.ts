/** The execution store upgrades a version 1 file in place: history, listing and resume keep working. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { generatedExecutionName } from '../../../local/stepfunctions/arns';
import { encodeChunk } from '../../../local/stepfunctions/history-chunk';
import { ExecutionListing } from '../../../local/stepfunctions/execution-listing';
import { ExecutionStore } from '../../../local/stepfunctions/store';
import { SCHEMA_VERSION } from '../../../local/stepfunctions/store-schema';

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
  const insert = old.prepare(
    "INSERT INTO executions (id, arn, sm_arn, name, def_hash, role_arn, input, status, started) VALUES (?, ?, ?, ?, 'h', 'r', '{}', 'RUNNING', ?)",
  );
  for (let id = 1; id <= 3; id++) insert.run(id, `arn:aws:states:us-east-1:123456789012:execution:m:e${id}`, sm, `e${id}`, 1000 + id);
  const chunk = (first: number, n: number) =>
    encodeChunk(Array.from({ length: n }, (_, i) => [first + i, 5000, 'PassStateEntered', first + i - 1, `S${first + i}`, 'input', { i: first + i }] as never));
  const putChunk = old.prepare('INSERT INTO history (exec, first, last, events) VALUES (?, ?, ?, ?)');
  putChunk.run(2, 1, 3, chunk(1, 3));
  putChunk.run(2, 4, 5, chunk(4, 2));
  putChunk.run(3, 1, 1, chunk(1, 1));
  old.close();

  const store = new ExecutionStore(file);
  try {
    expect(store.db.pragma('user_version', { simple: true })).toBe(6);
    // Version 5: frames are no longer indexed by execution (a restart reads them all at once).
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'frames_by_exec'").get()).toBeUndefined();
    expect(store.getRedrive(1)).toBeUndefined();
    expect(store.history(2, 0, 100, false).map((e) => e[0])).toEqual([1, 2, 3, 4, 5]);
    expect(store.history(2, 3, 100, false).map((e) => e[6])).toEqual([{ i: 4 }, { i: 5 }]);
    expect(store.history(2, 5, 2, true).map((e) => e[0])).toEqual([4, 3]);
    expect(store.maxEventId(2)).toBe(5);
    expect(store.maxEventId(3)).toBe(1);
    expect(store.maxEventId(1)).toBe(0);
    // Newest first, paged by (started, id).
    const listing = new ExecutionListing(store.db);
    const page1 = listing.list(sm, null, null, 2);
    expect(page1.map((r) => r.name)).toEqual(['e3', 'e2']);
    expect(listing.list(sm, null, { started: page1[1].started, id: page1[1].id }, 2).map((r) => r.name)).toEqual(['e1']);
    // New chunks go after the migrated ones.
    store.insertChunk(2, 6, 6, chunk(6, 1));
    expect(store.history(2, 0, 100, false).map((e) => e[0])).toEqual([1, 2, 3, 4, 5, 6]);
    // Migrated executions are still found by ARN.
    expect(store.getExecution('arn:aws:states:us-east-1:123456789012:execution:m:e2')?.id).toBe(2);
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

test('a file from a newer AIOS (one schema version ahead) is refused, not misread', () => {
  const file = path.join(dir, 'stepfunctions.sqlite');
  new ExecutionStore(file).close();
  const db = new Database(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  expect(() => new ExecutionStore(file)).toThrow(new RegExp(`schema ${SCHEMA_VERSION + 1}, this one needs ${SCHEMA_VERSION}`));
});

const V2_EXECUTIONS = `
CREATE TABLE state_machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER, revision TEXT NOT NULL);
CREATE TABLE definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE executions (id INTEGER PRIMARY KEY, arn TEXT NOT NULL UNIQUE, sm_arn TEXT NOT NULL, name TEXT NOT NULL, def_hash TEXT NOT NULL, role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL, started INTEGER NOT NULL, stopped INTEGER, output TEXT, error TEXT, cause TEXT, timeout_at INTEGER);
CREATE INDEX executions_by_start ON executions(sm_arn, started);
CREATE TABLE history (key INTEGER PRIMARY KEY, last INTEGER NOT NULL, events TEXT NOT NULL);
CREATE TABLE frames (id INTEGER PRIMARY KEY, exec TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX frames_by_exec ON frames(exec);
CREATE TABLE tokens (token TEXT PRIMARY KEY, exec TEXT NOT NULL, frame INTEGER NOT NULL, status TEXT NOT NULL);
CREATE INDEX tokens_by_exec ON tokens(exec);
PRAGMA user_version = 2;
`;

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
const execArn = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:m:${name}`;
const row = (id: number, name: string, status = 'RUNNING') => ({
  id,
  arn: execArn(name),
  sm_arn: SM,
  name,
  def_hash: 'h',
  role_arn: 'r',
  input: '{}',
  status,
  started: 1000 + id,
  stopped: null,
  output: null,
  error: null,
  cause: null,
  timeout_at: null,
});

test('a version 2 store is migrated: executions keep their ARN lookup (UUID names carrying no id), uniqueness and history', () => {
  const file = path.join(dir, 'stepfunctions.sqlite');
  const old = new Database(file);
  old.exec(V2_EXECUTIONS);
  // A v2 generated name: a plain random UUID, whose last group means nothing.
  const uuid = '3f1c2b7a-1d2e-4f50-8a9b-000000000001';
  const insert = old.prepare(
    "INSERT INTO executions (id, arn, sm_arn, name, def_hash, role_arn, input, status, started) VALUES (?, ?, ?, ?, 'h', 'r', '{}', 'RUNNING', ?)",
  );
  insert.run(7, execArn(uuid), SM, uuid, 1007);
  insert.run(8, execArn('named'), SM, 'named', 1008);
  old
    .prepare('INSERT INTO history (key, last, events) VALUES (?, ?, ?)')
    .run(7 * 2 ** 24 + 1, 1, encodeChunk([[1, 5000, 'ExecutionStarted', 0, null, 'input', {}]] as never));
  old.close();

  const store = new ExecutionStore(file);
  try {
    expect(store.db.pragma('user_version', { simple: true })).toBe(6);
    expect(store.getRedrive(1)).toBeUndefined();
    expect(store.getExecution(execArn(uuid))?.id).toBe(7);
    expect(store.getExecution(execArn('named'))?.id).toBe(8);
    expect(store.getExecution(execArn('other'))).toBeUndefined();
    expect(store.history(7, 0, 10, false).map((e) => e[2])).toEqual(['ExecutionStarted']);
    expect(() => store.insertExecution(row(9, 'named'))).toThrow(/UNIQUE/);
    expect(store.closeExecution({ id: 7, status: 'SUCCEEDED', stopped: 2000, output: '{}', error: null, cause: null })).toBe(true);
    expect(store.getExecution(execArn(uuid))?.status).toBe('SUCCEEDED');
    expect(Object.keys(store.getExecution(execArn(uuid))!)).not.toContain('named');
  } finally {
    store.close();
  }
});

describe('execution lookup by ARN', () => {
  let store: ExecutionStore;
  beforeEach(() => {
    store = new ExecutionStore(path.join(dir, 'stepfunctions.sqlite'));
  });
  afterEach(() => store.close());

  test('a generated name is found through its id, and takes no ARN index entry', () => {
    const name = generatedExecutionName(42, '3f1c2b7a-1d2e-4f50-8a9b-5c6d7e8f9a0b');
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-00000000002a$/);
    store.insertExecution(row(42, name));
    expect(store.getExecution(execArn(name))?.id).toBe(42);
    expect(store.db.prepare('SELECT named FROM executions WHERE id = 42').pluck().get()).toBe(0);
    // The same id under another prefix is another (unknown) execution.
    expect(store.getExecution(execArn(generatedExecutionName(42, '00000000-0000-4000-8000-000000000000')))).toBeUndefined();
  });

  test('a caller-chosen name that looks generated but carries another id is indexed and found', () => {
    const generated = generatedExecutionName(5, '3f1c2b7a-1d2e-4f50-8a9b-5c6d7e8f9a0b');
    store.insertExecution(row(5, generated));
    const lookalike = generatedExecutionName(5, 'aaaaaaaa-1d2e-4f50-8a9b-5c6d7e8f9a0b');
    store.insertExecution(row(6, lookalike));
    expect(store.db.prepare('SELECT named FROM executions WHERE id = 6').pluck().get()).toBe(1);
    expect(store.getExecution(execArn(lookalike))?.id).toBe(6);
    expect(store.getExecution(execArn(generated))?.id).toBe(5);
  });

  test('an execution stored with its whole history in its row pages through it like chunks', () => {
    const events = Array.from({ length: 5 }, (_, i) => [i + 1, 5000, 'PassStateEntered', i, `S${i}`, 'input', { i }] as never);
    store.insertExecution(row(3, 'inline', 'SUCCEEDED'), encodeChunk(events));
    expect(store.db.prepare('SELECT COUNT(*) FROM history').pluck().get()).toBe(0);
    expect(store.history(3, 0, 100, false).map((e) => e[0])).toEqual([1, 2, 3, 4, 5]);
    expect(store.history(3, 2, 2, false).map((e) => e[6])).toEqual([{ i: 2 }, { i: 3 }]);
    expect(store.history(3, 5, 2, true).map((e) => e[0])).toEqual([4, 3]);
    expect(store.maxEventId(3)).toBe(5);
  });
});
