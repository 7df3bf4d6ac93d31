/**
 * ListExecutions' index is written behind the execution rows (store schema 9, deferred-listing.ts): every execution is
 * listed, newest first, whether its entry is written yet or it is read from its row; a rolled back transaction leaves
 * the index and its mark as the store has them; a version 8 file is migrated with every execution listed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LISTING_LAG } from '../../../local/stepfunctions/deferred-listing';
import { ExecutionListing, type ListedExecution } from '../../../local/stepfunctions/execution-listing';
import { decodeChunk, encodeChunk } from '../../../local/stepfunctions/history-chunk';
import { ExecutionStore, type ExecutionRow, type StoredEvent } from '../../../local/stepfunctions/store';
import { SCHEMA_VERSION } from '../../../local/stepfunctions/store-schema';
import { executionRow, MACHINE_ARN } from '../../support/execution-rows';

const SM = MACHINE_ARN;
const OTHER = 'arn:aws:states:us-east-1:123456789012:stateMachine:other';
const row = (id: number, sm = SM, started = 1000 + Math.floor(id / 3)): ExecutionRow =>
  executionRow(id, { sm_arn: sm, started, status: id % 4 === 0 ? 'SUCCEEDED' : 'RUNNING' });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aios-listing-'));
  file = path.join(dir, 'stepfunctions.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every page of a machine's listing, `limit` at a time. */
function allPages(listing: ExecutionListing, sm: string, status: string | null, limit: number): ListedExecution[] {
  const out: ListedExecution[] = [];
  for (;;) {
    const last = out.at(-1);
    const page = listing.list(sm, status, last ? { started: last.started, id: last.id } : null, limit);
    out.push(...page);
    if (page.length < limit) return out;
  }
}
const newestFirst = (rows: ExecutionRow[]) => [...rows].sort((a, b) => b.started - a.started || b.id - a.id).map((r) => r.id);
const listedIds = (store: ExecutionStore) => store.db.prepare('SELECT exec FROM listed ORDER BY exec').pluck().all() as number[];
const mark = (store: ExecutionStore) => store.db.prepare('SELECT id FROM listed_through').pluck().get() as number;

test('executions are listed newest first across the mark, by machine and status, entries written every LISTING_LAG rows', () => {
  const store = new ExecutionStore(file);
  try {
    const rows: ExecutionRow[] = [];
    // Batches of 1 to 40 rows, two machines interleaved.
    let id = 0;
    for (let batch = 1; id < 3 * LISTING_LAG + 17; batch++) {
      store.transaction(() => {
        for (let i = 0; i < (batch * 7) % 40 || i < 1; i++) {
          const r = row(++id, id % 5 === 0 ? OTHER : SM);
          rows.push(r);
          store.queueExecution(r, null, null);
        }
        store.flushExecutions();
      });
      // Entries lag the rows by less than LISTING_LAG (plus one statement's rows), never more.
      expect(id - mark(store)).toBeLessThan(LISTING_LAG + 16);
      expect(listedIds(store)).toEqual(rows.filter((r) => r.id <= mark(store)).map((r) => r.id));
    }
    expect(mark(store)).toBeGreaterThan(2 * LISTING_LAG);
    expect(mark(store)).toBeLessThan(id);
    const listing = new ExecutionListing(store.db);
    for (const sm of [SM, OTHER]) {
      const mine = rows.filter((r) => r.sm_arn === sm);
      for (const limit of [1, 7, 1000]) expect(allPages(listing, sm, null, limit).map((r) => r.id)).toEqual(newestFirst(mine));
      expect(allPages(listing, sm, 'SUCCEEDED', 5).map((r) => r.id)).toEqual(newestFirst(mine.filter((r) => r.status === 'SUCCEEDED')));
    }
    const first = listing.list(SM, null, null, 1)[0];
    expect(first).toEqual({
      id: first.id,
      arn: row(first.id).arn,
      sm_arn: SM,
      name: row(first.id).name,
      status: 'RUNNING',
      started: first.started,
      stopped: null,
      redrive_count: 0,
    });
    // No index on the executions table but the ARNs of caller-named executions: a row's commit writes its own leaf.
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions'").pluck().all()).toEqual(['executions_by_arn']);
  } finally {
    store.close();
  }
  // Reopened, the mark is read from the file and the next rows continue from it.
  const again = new ExecutionStore(file);
  try {
    const before = mark(again);
    again.transaction(() => {
      for (let i = 1; i <= LISTING_LAG; i++) again.queueExecution(row(1000 + i), null, null);
      again.flushExecutions();
    });
    expect(mark(again)).toBeGreaterThan(1000);
    expect(listedIds(again).filter((id) => id > before)).toEqual(
      again.db.prepare('SELECT id FROM executions WHERE id > ? AND id <= ? ORDER BY id').pluck().all(before, mark(again)) as number[],
    );
  } finally {
    again.close();
  }
});

test('a transaction rolled back after listing leaves the entries and the mark as committed', () => {
  const store = new ExecutionStore(file);
  try {
    expect(() =>
      store.transaction(() => {
        for (let i = 1; i <= LISTING_LAG + 3; i++) store.queueExecution(row(i), null, null);
        store.flushExecutions();
        expect(mark(store)).toBeGreaterThan(0);
        throw new Error('the batch failed');
      }),
    ).toThrow('the batch failed');
    expect(mark(store)).toBe(0);
    expect(listedIds(store)).toEqual([]);
    // The ids of the failed batch are never written; the next rows are listed from the committed mark.
    store.transaction(() => {
      for (let i = 1; i <= LISTING_LAG; i++) store.queueExecution(row(LISTING_LAG + 10 + i), null, null);
      store.flushExecutions();
    });
    const written = Array.from({ length: LISTING_LAG }, (_, i) => LISTING_LAG + 11 + i);
    expect(mark(store)).toBeGreaterThan(LISTING_LAG + 10);
    expect(listedIds(store)).toEqual(written.filter((id) => id <= mark(store)));
    expect(new ExecutionListing(store.db).list(SM, null, null, 1000).map((r) => r.id)).toEqual(newestFirst(written.map((id) => row(id))));
    // A row whose id is below the mark (a start committed after larger ids) is listed with its insert.
    store.insertExecution(row(5));
    expect(listedIds(store)[0]).toBe(5);
    expect(new ExecutionListing(store.db).list(SM, null, null, 1000).map((r) => r.id)).toEqual(newestFirst([5, ...written].map((id) => row(id))));
  } finally {
    store.close();
  }
});

test('a version 8 store is migrated: its index on the executions table is dropped, every execution listed, its histories read as written', () => {
  const first = new ExecutionStore(file);
  const rows = Array.from({ length: 10 }, (_, i) => row(i + 1, i % 2 ? OTHER : SM));
  // A chain's history as version 8 wrote it: every forwarding Pass on its lines, no runs.
  const p = { x: 1 };
  const chain = encodeChunk(
    Array.from(
      { length: 6 },
      (_, i) => [i + 1, 5000, i % 2 ? 'PassStateExited' : 'PassStateEntered', i, `S${i >> 1}`, i % 2 ? 'output' : 'input', p] as StoredEvent,
    ),
  );
  for (const r of rows) first.insertExecution(r, r.id === 1 ? chain : null);
  first.close();
  // As version 8 kept the file: an index on the executions table, no listing tables.
  const db = new Database(file);
  db.exec('DROP TABLE listed; DROP TABLE listed_through; CREATE INDEX executions_by_start ON executions(sm_arn, started);');
  db.pragma('user_version = 8');
  db.close();

  const store = new ExecutionStore(file);
  try {
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'executions_by_start'").get()).toBeUndefined();
    expect(listedIds(store)).toEqual(rows.map((r) => r.id));
    expect(mark(store)).toBe(10);
    expect(store.history(1, 0, 100, false)).toEqual(decodeChunk(chain));
    const listing = new ExecutionListing(store.db);
    expect(allPages(listing, SM, null, 3).map((r) => r.id)).toEqual(newestFirst(rows.filter((r) => r.sm_arn === SM)));
    store.insertExecution(row(11));
    expect(listing.list(SM, null, null, 1)[0].id).toBe(11);
  } finally {
    store.close();
  }
});
