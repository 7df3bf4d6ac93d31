/**
 * New execution rows, inserted many to a statement: a batch that starts many
 * executions (1,000 waiting on task tokens, 100 chains at once) inserts them
 * 16 rows per INSERT, which cost ~1 µs less per row than an INSERT each
 * (measured: better-sqlite3's per-call work and SQLite's per-statement
 * setup, against ~4–5 µs for the row itself).
 *
 * Rows of one machine with a generated name (most rows) share their machine, definition and role, and the ARN they
 * store (empty, see EXECUTION_ARN): those go into the statement as SQL literals, one statement per machine, and a
 * RUNNING row's empty close columns as NULLs, so such a row binds 7 values instead of 17. Every value bound is
 * converted to UTF-8 and copied by the driver, then copied again by SQLite: 1,008 RUNNING rows of a token wave took
 * ~4.0 ms of CPU to insert with all 17 bound, ~2.9 with 7 (measured alone, the same rows; ~3.4 with 12, NULLs bound).
 */
import type Database from 'better-sqlite3';
import { idInExecutionArn } from './arns';
import { DeferredListing } from './deferred-listing';
import type { RowCompaction } from './row-compaction';
import type { ExecutionRow } from './execution-row';

/** Rows per multi-row INSERT: 272 parameters at most, far below SQLite's limit. */
const ROWS_PER_STATEMENT = 16;
const INSERT =
  'INSERT INTO executions (id, arn, sm_arn, name, def_hash, role_arn, input, status, started, stopped, output, error, cause, timeout_at, named, history, root) VALUES ';
/**
 * Machines whose rows get statements of their own (each up to 2 × 16 prepared statements); the rows of machines met after
 * these are written with every value bound, as before (clearing the statements instead would have a process running more
 * machines prepare them again and again).
 */
const MAX_MACHINES = 64;

/** How a group of rows is written: its statements by row count, and how many values each row binds. */
interface RowShape {
  /** One row's VALUES tuple. */
  readonly tuple: string;
  /** Values bound per row. */
  readonly width: number;
  /** By row count: the INSERT of that many rows, prepared on first use. */
  readonly statements: Database.Statement[];
  /** The parameters of a full statement (reused: no array per statement). */
  readonly values: unknown[];
}

/** The rows of one machine with generated names: its constants as literals, in a shape for RUNNING rows and one for any. */
interface MachineShapes {
  smArn: string;
  definition: string;
  roleArn: string;
  running: RowShape;
  any: RowShape;
}

function shape(tuple: string, width: number): RowShape {
  return { tuple, width, statements: [], values: new Array(width * ROWS_PER_STATEMENT) };
}

/** `text` as an SQL string literal; undefined when it cannot be one (a NUL ends SQL text). */
function literal(text: string): string | undefined {
  return text.includes('\0') ? undefined : `'${text.replaceAll("'", "''")}'`;
}

/** Every column bound: any row. */
const GENERIC_TUPLE = `(${Array.from({ length: 17 }, () => '?').join(', ')})`;

export class ExecutionInserts {
  /** Every column bound (statements are per database: a shape is per instance). */
  private readonly generic = shape(GENERIC_TUPLE, 17);
  /** The shape of the rows buffered (all buffered rows have it) and how many are. */
  private current: RowShape = this.generic;
  private count = 0;
  /** Per machine ARN: the shapes of its rows with generated names. */
  private readonly machines = new Map<string, MachineShapes | null>();
  /** The machine of the last row added (rows of one machine come in runs). */
  private lastMachine: MachineShapes | null = null;
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
    // A named execution keeps its ARN: the ARN index (named = 1) holds it.
    const derived = named === 0 && this.compaction.derivesArn(r);
    const definition = this.definitionId(r.def_hash);
    const machine = derived ? this.machineOf(r.sm_arn, definition, r.role_arn) : null;
    const running = r.status === 'RUNNING' && r.stopped === null && r.output === null && r.error === null && r.cause === null;
    const rowShape = machine === null ? this.generic : running ? machine.running : machine.any;
    if (rowShape !== this.current) {
      this.write();
      this.current = rowShape;
    }
    const v = rowShape.values;
    let i = this.count * rowShape.width;
    v[i++] = r.id;
    if (rowShape === this.generic) {
      v[i++] = derived ? '' : r.arn;
      v[i++] = r.sm_arn;
      v[i++] = r.name;
      v[i++] = definition;
      v[i++] = r.role_arn;
    } else v[i++] = r.name;
    v[i++] = r.input;
    if (rowShape !== machine?.running) v[i++] = r.status;
    v[i++] = r.started;
    if (rowShape !== machine?.running) {
      v[i++] = r.stopped;
      v[i++] = r.output;
      v[i++] = r.error;
      v[i++] = r.cause;
    }
    v[i++] = r.timeout_at;
    if (rowShape === this.generic) v[i++] = named;
    v[i++] = history === null ? null : this.compaction.elideStarted(history, r);
    v[i] = root;
    this.listing.added(r);
    if (++this.count === ROWS_PER_STATEMENT) this.write();
  }

  /** Writes the buffered rows. */
  flush(): void {
    this.write();
  }

  /** Forgets the buffered rows (their transaction failed). */
  discard(): void {
    this.count = 0;
    this.current.values.fill(null);
    this.listing.discard();
  }

  /** Runs the INSERT of the buffered rows, and lists them when enough have piled up (DeferredListing). */
  private write(): void {
    const n = this.count;
    if (n === 0) return;
    this.count = 0;
    const { values, width } = this.current;
    try {
      // As arguments, not one array: better-sqlite3 binds an array element by element through V8's API, ~1 µs more a row
      // here (measured, one row or 16 to a statement), which a chain run one execution after another pays per commit.
      this.statement(this.current, n).run(...(n === ROWS_PER_STATEMENT ? values : values.slice(0, n * width)));
      this.listing.written();
    } finally {
      // Strings of up to 16 rows' history and frames are not kept alive until the next batch. Only the slots written:
      // filling all 272 took ~0.5 µs, for a chain run one execution after another a row per commit.
      values.fill(null, 0, n * width);
    }
  }

  /** The shapes of `smArn`'s rows with this definition and role; null when a value cannot be an SQL literal. */
  private machineOf(smArn: string, definition: string, roleArn: string): MachineShapes | null {
    const last = this.lastMachine;
    if (last !== null && last.smArn === smArn && last.definition === definition && last.roleArn === roleArn) return last;
    let machine = this.machines.get(smArn);
    if (machine === undefined && this.machines.size >= MAX_MACHINES) return null;
    if (machine === undefined || (machine !== null && (machine.definition !== definition || machine.roleArn !== roleArn))) {
      machine = null;
      const sm = literal(smArn);
      const def = literal(definition);
      const role = literal(roleArn);
      if (sm !== undefined && def !== undefined && role !== undefined) {
        const head = `(?, '', ${sm}, ?, ${def}, ${role}, ?, `;
        machine = {
          smArn,
          definition,
          roleArn,
          running: shape(`${head}'RUNNING', ?, NULL, NULL, NULL, NULL, ?, 0, ?, ?)`, 7),
          any: shape(`${head}?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, 12),
        };
      }
      this.machines.set(smArn, machine);
    }
    if (machine !== null) this.lastMachine = machine;
    return machine;
  }

  private statement(rowShape: RowShape, rows: number): Database.Statement {
    let statement = rowShape.statements[rows];
    if (!statement) {
      statement = this.db.prepare(INSERT + Array.from({ length: rows }, () => rowShape.tuple).join(', '));
      rowShape.statements[rows] = statement;
    }
    return statement;
  }
}
