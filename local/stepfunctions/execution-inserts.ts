/**
 * New execution rows, inserted many to a statement: a batch that starts many
 * executions (1,000 waiting on task tokens, 100 chains at once) inserts them
 * 16 rows per INSERT, which cost ~1 µs less per row than an INSERT each
 * (measured: better-sqlite3's per-call work and SQLite's per-statement
 * setup, against ~4–5 µs for the row itself).
 */
import type Database from 'better-sqlite3';
import { idInExecutionArn } from './arns';
import { DeferredListing } from './deferred-listing';
import type { RowCompaction } from './row-compaction';
import type { ExecutionRow } from './execution-row';

const COLUMNS = 17;
/** Rows per multi-row INSERT: 272 parameters, far below SQLite's limit. */
const ROWS_PER_STATEMENT = 16;
const INSERT =
  'INSERT INTO executions (id, arn, sm_arn, name, def_hash, role_arn, input, status, started, stopped, output, error, cause, timeout_at, named, history, root) VALUES ';
const ROW = `(${Array.from({ length: COLUMNS }, () => '?').join(', ')})`;

export class ExecutionInserts {
  /** By row count: the INSERT of that many rows, prepared on first use. */
  private readonly statements: Database.Statement[] = [];
  /** Parameters of the rows buffered so far (reused: no array per row). */
  private readonly values: unknown[] = new Array(COLUMNS * ROWS_PER_STATEMENT);
  private count = 0;
  /** ListExecutions' entries of the rows inserted, written behind them. */
  private readonly listing: DeferredListing;

  constructor(
    private readonly db: Database.Database,
    private readonly compaction: RowCompaction,
    /** What the row stores for its definition hash (ExecutionStore.definitionId). */
    private readonly definitionId: (hash: string) => string,
  ) {
    this.listing = new DeferredListing(db);
  }

  /** Buffers a row (see ExecutionStore.insertExecution); written by flush() or when a statement's worth is buffered. */
  add(r: ExecutionRow, history: string | null, root: string | null): void {
    const named = idInExecutionArn(r.arn) === r.id ? 0 : 1;
    const v = this.values;
    let i = this.count * COLUMNS;
    v[i++] = r.id;
    // A named execution keeps its ARN: the ARN index (named = 1) holds it.
    v[i++] = named === 0 && this.compaction.derivesArn(r) ? '' : r.arn;
    v[i++] = r.sm_arn;
    v[i++] = r.name;
    v[i++] = this.definitionId(r.def_hash);
    v[i++] = r.role_arn;
    v[i++] = r.input;
    v[i++] = r.status;
    v[i++] = r.started;
    v[i++] = r.stopped;
    v[i++] = r.output;
    v[i++] = r.error;
    v[i++] = r.cause;
    v[i++] = r.timeout_at;
    v[i++] = named;
    v[i++] = history === null ? null : this.compaction.elideStarted(history, r);
    v[i] = root;
    this.listing.added(r);
    if (++this.count === ROWS_PER_STATEMENT) this.flush();
  }

  /** Writes the buffered rows. */
  flush(): void {
    const n = this.count;
    if (n === 0) return;
    this.count = 0;
    const values = n === ROWS_PER_STATEMENT ? this.values : this.values.slice(0, n * COLUMNS);
    try {
      // As arguments, not one array: better-sqlite3 binds an array element by element through V8's API, ~1 µs more a row
      // here (measured, one row or 16 to a statement), which a chain run one execution after another pays per commit.
      this.statement(n).run(...values);
      this.listing.written();
    } finally {
      // Strings of up to 16 rows' history and frames are not kept alive until the next batch. Only the slots written:
      // filling all 272 took ~0.5 µs, for a chain run one execution after another a row (17 slots) per commit.
      this.values.fill(null, 0, n * COLUMNS);
    }
  }

  /** Forgets the buffered rows (their transaction failed). */
  discard(): void {
    this.count = 0;
    this.values.fill(null);
    this.listing.discard();
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements[rows];
    if (!statement) {
      statement = this.db.prepare(INSERT + Array.from({ length: rows }, () => ROW).join(', '));
      this.statements[rows] = statement;
    }
    return statement;
  }
}
