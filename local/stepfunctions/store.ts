/**
 * Durable storage of the local Step Functions engine: one SQLite file
 * (`<dataDir>/stepfunctions.sqlite`) in WAL mode. `synchronous=NORMAL` means a
 * committed transaction survives a process crash (kill -9) — the failure this
 * engine is built for — though not a power cut. All statements are prepared once.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { idInExecutionArn } from './arns';
import { decodeChunk, expandPassRuns, PASS_RUN, type StoredEvent } from './history-chunk';
import { SucceededCloses } from './execution-closes';
import { ExecutionInserts } from './execution-inserts';
import type { ExecutionRow } from './execution-row';
import { RowCompaction, expandStarted, startedElided } from './row-compaction';
import { CHUNK_KEY_SPAN, DEFINITION_HASH, MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './store-schema';

export type { StoredEvent };
export { MAX_HISTORY_EVENTS } from './store-schema';

/**
 * WAL checkpoints fsync the database file: run inline on a commit they cost
 * ~10 ms (measured), which is the whole p99 of SendTaskSuccess → next state.
 * A second connection in a worker thread checkpoints in the background instead.
 */
const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
} catch {
  process.exit(0); // the store was closed (and maybe removed) before this thread started
}
const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); try { db.close(); } catch {} process.exit(0); });
`;

export interface MachineRow {
  arn: string;
  name: string;
  definition: string;
  role_arn: string;
  type: string;
  created: number;
  updated: number | null;
  revision: string;
}

export type { ExecutionRow };

/** A RUNNING execution's row with its top-level frame (kept in the row, see putRoot), for a restart. */
export interface RunningExecutionRow extends ExecutionRow {
  root: string | null;
}

/** A task token that timed out (kept so a late SendTaskSuccess answers TaskTimedOut); waiting tokens live in their frames. */
export interface TokenRow {
  token: string;
  exec: string;
  frame: number;
  status: 'timed_out';
}

/** What closing an execution writes to its row. */
export interface ClosedRow {
  id: number;
  status: string;
  stopped: number;
  output: string | null;
  error: string | null;
  cause: string | null;
}

/**
 * An execution's ARN as read: stored empty when it is the one its machine's ARN and its name make (store schema 8), which
 * every generated name's is: 90 bytes less in each row. `:stateMachine:` occurs once in a machine ARN (names, qualifiers,
 * regions and accounts hold no colon), so replace() rewrites only the resource type.
 */
export const EXECUTION_ARN = "CASE arn WHEN '' THEN replace(sm_arn, ':stateMachine:', ':execution:') || ':' || name ELSE arn END";

/** The ExecutionRow columns (`named` is the store's own bookkeeping). */
const EXECUTION_COLUMNS = `id, ${EXECUTION_ARN} AS arn, sm_arn, name, ${DEFINITION_HASH} AS def_hash, role_arn, input, status, started, stopped, output, error, cause, timeout_at`;

export class ExecutionStore {
  readonly db: Database.Database;
  private readonly s;
  private readonly machines = new Map<string, MachineRow | undefined>();
  private readonly compaction = new RowCompaction();
  /** Definition hashes to their ids, as committed (cleared when a transaction fails: an id it assigned is gone). */
  private readonly definitionIds = new Map<string, string>();
  /** Positional parameters, many rows to a statement: binding an object by name cost ~10 µs more per execution (measured). */
  private readonly inserts: ExecutionInserts;
  private readonly checkpointer?: Worker;
  /** Per definition hash: its top-level states' Next, which stored runs of forwarding Passes are read back with (PASS_RUN). */
  private readonly nextByDefinition = new Map<string, Map<string, string>>();
  /** Built once: `db.transaction()` per call costs ~10 µs, paid on every batch (measured). */
  private readonly runInTransaction: Database.Transaction<(fn: () => unknown) => unknown>;
  /** SUCCEEDED closes appending to their rows, written many to a statement before the transaction commits. */
  private readonly closes: SucceededCloses;
  /** A transaction() is running: closes may wait in `closes` until it ends. */
  private inTransaction = false;

  /** Opens (creating if needed) `file`; `':memory:'` for a throwaway store. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const tables = this.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
    if (tables > 0 && version !== SCHEMA_VERSION && MIGRATIONS[version] === undefined) {
      this.db.close();
      throw new Error(`${file} was written by another AIOS (schema ${version}, this one needs ${SCHEMA_VERSION}); move it aside or delete it`);
    }
    this.db
      .transaction(() => {
        if (tables > 0) for (let v = version; v < SCHEMA_VERSION; v++) this.db.exec(MIGRATIONS[v]);
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
    if (file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new Worker(CHECKPOINTER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file, everyMs: 500 } });
      this.checkpointer.unref();
      // Checkpointing is an optimisation: its failure must never take the engine down.
      this.checkpointer.on('error', () => {});
    }
    const db = this.db;
    this.inserts = new ExecutionInserts(db, this.compaction, (hash) => this.definitionId(hash));
    this.runInTransaction = db.transaction((fn: () => unknown) => {
      const result = fn();
      this.closes.flush();
      return result;
    });
    this.s = {
      insertMachine: db.prepare(
        'INSERT INTO state_machines (arn, name, definition, role_arn, type, created, updated, revision) VALUES (@arn, @name, @definition, @role_arn, @type, @created, @updated, @revision)',
      ),
      updateMachine: db.prepare(
        'UPDATE state_machines SET definition = @definition, role_arn = @role_arn, updated = @updated, revision = @revision WHERE arn = @arn',
      ),
      getMachine: db.prepare('SELECT * FROM state_machines WHERE arn = ?'),
      listMachines: db.prepare('SELECT * FROM state_machines WHERE name > ? ORDER BY name LIMIT ?'),
      deleteMachine: db.prepare('DELETE FROM state_machines WHERE arn = ?'),
      putDefinition: db.prepare('INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)'),
      getDefinition: db.prepare('SELECT text FROM definitions WHERE hash = ?').pluck(),
      definitionId: db.prepare('SELECT id FROM definitions WHERE hash = ?').pluck(),
      inlineHistory: db.prepare('SELECT history FROM executions WHERE id = ?').pluck(),
      startedColumns: db.prepare('SELECT input, role_arn, sm_arn FROM executions WHERE id = ?'),
      definitionOf: db.prepare(`SELECT ${DEFINITION_HASH} FROM executions WHERE id = ?`).pluck(),
      getNamedExecution: db.prepare(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE arn = ? AND named = 1`),
      getExecutionById: db.prepare(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ?`),
      closeExecution: db.prepare(
        "UPDATE executions SET status = @status, stopped = @stopped, output = @output, error = @error, cause = @cause, root = NULL WHERE id = @id AND status = 'RUNNING'",
      ),
      // A chunk after an execution's first starts with `#` (history-chunk.ts), put there by SQLite, which joins the texts
      // anyway: `#${events}` was a string of two parts, copied into one again to be bound.
      appendHistory: db.prepare("UPDATE executions SET history = history || '#' || ? WHERE id = ?"),
      closeAppending: db.prepare(
        "UPDATE executions SET status = ?, stopped = ?, output = ?, error = ?, cause = ?, history = history || '#' || ?, root = NULL WHERE id = ? AND status = 'RUNNING'",
      ),
      // Most closes: every value bound is converted and copied by the driver, and this one binds four of seven.
      closeSucceededAppending: db.prepare(
        "UPDATE executions SET status = 'SUCCEEDED', stopped = ?, output = ?, error = NULL, cause = NULL, history = history || '#' || ?, root = NULL WHERE id = ? AND status = 'RUNNING'",
      ),
      runningExecutions: db.prepare(`SELECT ${EXECUTION_COLUMNS}, root FROM executions WHERE status = 'RUNNING'`),
      putRoot: db.prepare('UPDATE executions SET root = ? WHERE id = ?'),
      insertChunk: db.prepare('INSERT INTO history (key, last, events) VALUES (?, ?, ?)'),
      chunksAsc: db.prepare('SELECT events FROM history WHERE key >= ? AND key < ? AND last > ? ORDER BY key'),
      chunksDesc: db.prepare('SELECT events FROM history WHERE key >= ? AND key < ? ORDER BY key DESC'),
      maxEventId: db.prepare('SELECT last FROM history WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT 1').pluck(),
      maxExecutionId: db.prepare('SELECT MAX(id) FROM executions').pluck(),
      // An upsert rewrites the row in place (REPLACE deletes and inserts it).
      putFrame: db.prepare('INSERT INTO frames (id, exec, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body'),
      deleteFrame: db.prepare('DELETE FROM frames WHERE id = ?'),
      childFrames: db.prepare('SELECT id, exec, body FROM frames ORDER BY id'),
      allFrames: db.prepare(
        `SELECT id, exec, body FROM frames UNION ALL SELECT json_extract(root, '$.id'), ${EXECUTION_ARN}, root FROM executions WHERE status = 'RUNNING' AND root IS NOT NULL ORDER BY 1`,
      ),
      // Rows of several children are keyed by minus their largest id (frame.ts, Brood); top-level frames are in their executions' rows.
      maxFrameId: db
        .prepare(
          "SELECT MAX(m) FROM (SELECT MAX(abs(id)) AS m FROM frames UNION ALL SELECT MAX(json_extract(root, '$.id')) FROM executions WHERE status = 'RUNNING' AND root IS NOT NULL)",
        )
        .pluck(),
      putToken: db.prepare('INSERT OR REPLACE INTO tokens (token, exec, frame, status) VALUES (?, ?, ?, ?)'),
      getToken: db.prepare('SELECT * FROM tokens WHERE token = ?'),
      putRedrivePoint: db.prepare(
        'INSERT INTO redrive (exec, point, count, redriven_at) VALUES (?, ?, 0, NULL) ON CONFLICT (exec) DO UPDATE SET point = excluded.point',
      ),
      getRedrive: db.prepare('SELECT point, count, redriven_at FROM redrive WHERE exec = ?'),
      countRedrive: db.prepare('UPDATE redrive SET count = count + 1, redriven_at = ? WHERE exec = ?'),
      reopenExecution: db.prepare(
        "UPDATE executions SET status = 'RUNNING', stopped = NULL, output = NULL, error = NULL, cause = NULL, history = NULL, timeout_at = ? WHERE id = ? AND status IN ('FAILED', 'TIMED_OUT', 'ABORTED')",
      ),
    };
    this.closes = new SucceededCloses(db, this.s.closeSucceededAppending);
  }

  /** Runs `fn` in one transaction (IMMEDIATE: the engine is the only writer). */
  transaction<T>(fn: () => T): T {
    // Closes buffered by an enclosing transaction are its own: written before this one (a savepoint when nested) can roll back.
    this.closes.flush();
    const outer = this.inTransaction;
    this.inTransaction = true;
    try {
      return this.runInTransaction.immediate(fn) as T;
    } catch (error) {
      // Rows queued by the failed transaction must not be written by the next one, nor name a definition id it assigned.
      this.inserts.discard();
      this.closes.discard();
      this.definitionIds.clear();
      throw error;
    } finally {
      this.inTransaction = outer;
    }
  }

  close(): void {
    this.checkpointer?.postMessage('close');
    this.db.close();
  }

  insertMachine(row: MachineRow): void {
    this.s.insertMachine.run(row);
    this.machines.delete(row.arn);
  }
  updateMachine(row: Pick<MachineRow, 'arn' | 'definition' | 'role_arn' | 'updated' | 'revision'>): void {
    this.s.updateMachine.run(row);
    this.machines.delete(row.arn);
  }
  /** Cached: StartExecution reads the machine on every call. */
  getMachine(arn: string): MachineRow | undefined {
    if (!this.machines.has(arn)) this.machines.set(arn, this.s.getMachine.get(arn) as MachineRow | undefined);
    return this.machines.get(arn);
  }
  listMachines(afterName: string, limit: number): MachineRow[] {
    return this.s.listMachines.all(afterName, limit) as MachineRow[];
  }
  deleteMachine(arn: string): void {
    this.s.deleteMachine.run(arn);
    this.machines.delete(arn);
  }

  putDefinition(hash: string, text: string): void {
    this.s.putDefinition.run(hash, text);
  }
  /**
   * What an execution row stores for its definition (schema 10): the definition's id, or its hash itself when no
   * definition has it (read back as it was, see DEFINITION_HASH).
   */
  private definitionId(hash: string): string {
    let id = this.definitionIds.get(hash);
    if (id === undefined) {
      const found = this.s.definitionId.get(hash) as number | undefined;
      if (found === undefined) return hash;
      // As text: a JS number binds as a REAL, which the TEXT column would keep as `1.0`.
      id = String(found);
      this.definitionIds.set(hash, id);
    }
    return id;
  }
  getDefinition(hash: string): string | undefined {
    return this.s.getDefinition.get(hash) as string | undefined;
  }

  /**
   * Inserts an execution; `history`: its first chunk of history (its whole
   * history, for an execution that closed in the batch that started it);
   * `root`: its top-level frame (see putRoot). The ARN stays unique: a name carrying this id (arns.ts)
   * cannot be in use (ids are unique, and such a name chosen by a caller, an
   * ARN the id path would miss, goes to the ARN index); the engine checks
   * caller-chosen names with getExecution first.
   */
  insertExecution(r: ExecutionRow, history: string | null = null, root: string | null = null): void {
    this.inserts.add(r, history, root);
    this.inserts.flush();
  }
  /**
   * Like insertExecution, but the row may wait in a buffer until flushExecutions (many rows go to one statement, see
   * ExecutionInserts): nothing may read or update it before then.
   */
  queueExecution(r: ExecutionRow, history: string | null, root: string | null): void {
    this.inserts.add(r, history, root);
  }
  flushExecutions(): void {
    this.inserts.flush();
  }
  getExecution(arn: string): ExecutionRow | undefined {
    const id = idInExecutionArn(arn);
    if (id !== null) {
      const row = this.s.getExecutionById.get(id) as ExecutionRow | undefined;
      if (row && row.arn === arn) return row;
    }
    return this.s.getNamedExecution.get(arn) as ExecutionRow | undefined;
  }
  /** Closes a RUNNING execution; false if it was already closed (so nothing finishes twice). */
  closeExecution(row: ClosedRow): boolean {
    return this.s.closeExecution.run(row).changes === 1;
  }
  runningExecutions(): RunningExecutionRow[] {
    return this.s.runningExecutions.all() as RunningExecutionRow[];
  }

  /**
   * Writes a RUNNING execution's top-level frame into its own row: the row a
   * batch touches anyway (its history, its close), where a frames row would be
   * one more row to insert and delete. Closing the execution clears it.
   */
  putRoot(exec: number, body: string): void {
    this.s.putRoot.run(body, exec);
  }

  /**
   * Appends one chunk of an execution's history: the events one batch wrote
   * (encoded by history-chunk.ts), one row per batch instead of per event.
   * `inRow`: appended to the history kept in the execution's own row (the
   * engine does so while that row stays small), closing the execution in the
   * same write when `closing` is given; otherwise a row of the history table.
   * Within transaction(), a SUCCEEDED close may be written later in it, with
   * others (SucceededCloses): nothing may read or update its row before the
   * transaction ends.
   */
  insertChunk(exec: number, first: number, last: number, events: string, inRow = false, closing?: ClosedRow): void {
    if (!inRow) this.s.insertChunk.run(exec * CHUNK_KEY_SPAN + first, last, events);
    else if (!closing) this.s.appendHistory.run(events, exec);
    else if (closing.status === 'SUCCEEDED' && closing.error === null && closing.cause === null) {
      this.closes.add(exec, closing.stopped, closing.output, events);
      if (!this.inTransaction) this.closes.flush();
    } else this.s.closeAppending.run(closing.status, closing.stopped, closing.output, closing.error, closing.cause, events, exec);
  }
  maxExecutionId(): number {
    return (this.s.maxExecutionId.get() as number | null) ?? 0;
  }
  /**
   * Events after `from` (ascending) or before it (descending), at most `limit`.
   * An execution's first events may sit in its own row (appended batch by
   * batch while they fit, see appendHistory); the history table holds the rest.
   */
  history(exec: number, from: number, limit: number, reverse: boolean): StoredEvent[] {
    const out: StoredEvent[] = [];
    const lo = exec * CHUNK_KEY_SPAN;
    const inline = this.inlineHistory(exec);
    const take = (events: string): boolean => {
      const list = decodeChunk(this.readable(exec, events));
      if (reverse) list.reverse();
      for (const e of list) {
        if (reverse ? e[0] >= from : e[0] <= from) continue;
        out.push(e);
        if (out.length >= limit) return false;
      }
      return true;
    };
    if (inline && !reverse && !take(inline)) return out;
    const table = (
      reverse ? this.s.chunksDesc.iterate(lo, lo + Math.min(from, CHUNK_KEY_SPAN)) : this.s.chunksAsc.iterate(lo, lo + CHUNK_KEY_SPAN, from)
    ) as IterableIterator<{ events: string }>;
    for (const { events } of table) {
      if (!take(events)) {
        table.return?.();
        return out;
      }
    }
    if (inline && reverse) take(inline);
    return out;
  }
  /** The history kept in an execution's own row, as the engine wrote it (see RowCompaction.elideStarted). */
  private inlineHistory(exec: number): string | null | undefined {
    const history = this.s.inlineHistory.get(exec) as string | null | undefined;
    if (!history || !startedElided(history)) return history;
    // Read only then: an input can weigh 256 KB, and most histories read are not an execution's first page.
    const row = this.s.startedColumns.get(exec) as { input: string; role_arn: string; sm_arn: string };
    return expandStarted(history, row.input, row.role_arn, row.sm_arn);
  }
  maxEventId(exec: number): number {
    const spilled = this.s.maxEventId.get(exec * CHUNK_KEY_SPAN, (exec + 1) * CHUNK_KEY_SPAN) as number | undefined;
    if (spilled !== undefined) return spilled;
    const inline = this.inlineHistory(exec);
    return inline ? (decodeChunk(this.readable(exec, inline)).at(-1)?.[0] ?? 0) : 0;
  }
  /** A chunk of `exec`'s history as decodeChunk reads it: its runs of forwarding Passes written out (PASS_RUN). */
  private readable(exec: number, events: string): string {
    if (!events.includes(`\n${PASS_RUN}`)) return events;
    const hash = this.s.definitionOf.get(exec) as string;
    let next = this.nextByDefinition.get(hash);
    if (!next) {
      const states = (JSON.parse(this.getDefinition(hash) ?? '{}') as { States?: Record<string, { Next?: unknown }> }).States ?? {};
      next = new Map();
      for (const [name, state] of Object.entries(states)) if (typeof state.Next === 'string') next.set(name, state.Next);
      if (this.nextByDefinition.size >= 100) this.nextByDefinition.clear();
      this.nextByDefinition.set(hash, next);
    }
    const found = next;
    return expandPassRuns(events, (state) => found.get(state));
  }

  putFrame(id: number, exec: string, body: string): void {
    this.s.putFrame.run(id, exec, body);
  }
  deleteFrame(id: number): void {
    this.s.deleteFrame.run(id);
  }
  /** The frames below the top level (they belong to RUNNING executions only), in id order: a restart reads them once. */
  childFrames(): { id: number; exec: string; body: string }[] {
    return this.s.childFrames.all() as { id: number; exec: string; body: string }[];
  }
  /** Every stored frame, the top-level ones from their executions' rows included, in id order. */
  allFrames(): { id: number; exec: string; body: string }[] {
    return this.s.allFrames.all() as { id: number; exec: string; body: string }[];
  }
  maxFrameId(): number {
    return (this.s.maxFrameId.get() as number | null) ?? 0;
  }

  /** Records a timed-out token. */
  putToken(row: TokenRow): void {
    this.s.putToken.run(row.token, row.exec, row.frame, row.status);
  }
  getToken(token: string): TokenRow | undefined {
    return this.s.getToken.get(token) as TokenRow | undefined;
  }

  /** Where a closed (not succeeded) execution stopped, for RedriveExecution. */
  putRedrivePoint(exec: number, point: string): void {
    this.s.putRedrivePoint.run(exec, point);
  }
  getRedrive(exec: number): { point: string; count: number; redriven_at: number | null } | undefined {
    return this.s.getRedrive.get(exec) as { point: string; count: number; redriven_at: number | null } | undefined;
  }
  /**
   * Reopens a closed execution for a redrive; false if it is not closed as
   * FAILED, TIMED_OUT or ABORTED. History kept in its row moves to the history
   * table, where the redrive's events follow it.
   */
  reopenExecution(exec: number, redrivenAt: number, timeoutAt: number | null): boolean {
    const inline = this.inlineHistory(exec);
    if (!this.s.reopenExecution.run(timeoutAt, exec).changes) return false;
    if (inline) {
      const events = decodeChunk(this.readable(exec, inline));
      this.insertChunk(exec, events[0][0], events[events.length - 1][0], inline);
    }
    this.s.countRedrive.run(redrivenAt, exec);
    return true;
  }
}
