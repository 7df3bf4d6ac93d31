/**
 * SUCCEEDED closes that append an execution's last chunk to its own row, many
 * to a statement: the closes of one batch that share their stop time and
 * output (a wave of executions resumed together closes a few hundred in each
 * millisecond) are one UPDATE of up to 16 rows, each row's chunk chosen by a
 * CASE on its id, instead of an UPDATE each. Measured alone, 1,008 closes of
 * a token wave with their commit: ~3.5 ms of CPU one by one, ~2.4 ms 16 to a
 * statement: each statement run is a call into the driver, its values bound,
 * its result object made, and SQLite's per-statement setup.
 */
import type Database from 'better-sqlite3';

/** Rows per UPDATE: 50 parameters. */
const ROWS_PER_STATEMENT = 16;

export class SucceededCloses {
  /** By row count (2 and up): the UPDATE of that many rows, prepared on first use. */
  private readonly statements: Database.Statement[] = [];
  /** The stop time and output the buffered closes share, and each one's row id and chunk. */
  private stopped = 0;
  private output: string | null = null;
  private readonly ids: number[] = new Array(ROWS_PER_STATEMENT);
  private readonly chunks: (string | null)[] = new Array(ROWS_PER_STATEMENT);
  private count = 0;
  /** The parameters of a full statement (reused: no array per statement). */
  private readonly values: unknown[] = new Array(2 + 3 * ROWS_PER_STATEMENT);

  constructor(
    private readonly db: Database.Database,
    /** The same close of one row: stopped, output, chunk, id. */
    private readonly one: Database.Statement,
  ) {}

  /** Buffers the close of RUNNING execution `exec` (its chunk appended after a `#`); written by flush() or when another stop time or output comes. */
  add(exec: number, stopped: number, output: string | null, chunk: string): void {
    if (this.count > 0 && (stopped !== this.stopped || output !== this.output)) this.flush();
    if (this.count === 0) {
      this.stopped = stopped;
      this.output = output;
    }
    this.ids[this.count] = exec;
    this.chunks[this.count] = chunk;
    if (++this.count === ROWS_PER_STATEMENT) this.flush();
  }

  /** Writes the buffered closes. */
  flush(): void {
    const n = this.count;
    if (n === 0) return;
    this.count = 0;
    try {
      if (n === 1) {
        this.one.run(this.stopped, this.output, this.chunks[0], this.ids[0]);
        return;
      }
      const v = n === ROWS_PER_STATEMENT ? this.values : new Array<unknown>(2 + 3 * n);
      v[0] = this.stopped;
      v[1] = this.output;
      for (let i = 0; i < n; i++) {
        v[2 + 2 * i] = this.ids[i];
        v[3 + 2 * i] = this.chunks[i];
        v[2 + 2 * n + i] = this.ids[i];
      }
      this.statement(n).run(...v); // as arguments: an array is bound element by element through V8's API (see execution-inserts.ts)
      if (v === this.values) v.fill(null);
    } finally {
      // Chunks are not kept alive until the next batch.
      this.chunks.fill(null);
      this.output = null;
    }
  }

  /** Forgets the buffered closes (their transaction failed). */
  discard(): void {
    this.count = 0;
    this.chunks.fill(null);
    this.values.fill(null);
    this.output = null;
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements[rows];
    if (!statement) {
      statement = this.db.prepare(
        `UPDATE executions SET status = 'SUCCEEDED', stopped = ?, output = ?, error = NULL, cause = NULL, history = history || '#' || CASE id ${Array.from({ length: rows }, () => 'WHEN ? THEN ?').join(' ')} END, root = NULL WHERE id IN (${Array.from({ length: rows }, () => '?').join(', ')}) AND status = 'RUNNING'`,
      );
      this.statements[rows] = statement;
    }
    return statement;
  }
}
