/**
 * ListExecutions' index (the `listed` table: machine, start, id), written
 * behind the execution rows rather than with each (store schema 9). An index
 * on the executions table put its right-edge leaf into every commit beside
 * the row's own leaf: of the ~3 pages a commit of one 100-state chain wrote
 * to the WAL, ~1.3 were the index's (counted from the WAL file). Here the
 * executions inserted since the last catch-up (ids above `listed_through`)
 * are listed together once LISTING_LAG of them have piled up, in the
 * transaction that inserted the last one, so that table and mark always agree
 * with the rows committed; ListExecutions reads those not yet listed from
 * the executions table itself, a short range of rowids (execution-listing.ts).
 */
import type Database from 'better-sqlite3';

/** New executions left out of `listed` at most (a few more within one batch): what a listing reads by rowid instead. */
export const LISTING_LAG = 64;

export class DeferredListing {
  /** Every execution with an id up to this one is in `listed`, none above it (the stored mark, as committed). */
  private through: number;
  /** The largest id inserted (ids count up: an execution's row is inserted after every row of a smaller id). */
  private newest: number;
  /** Rows inserted at or below the mark (a start retried after ones with larger ids committed): listed one by one. */
  private early: { sm_arn: string; started: number; id: number }[] = [];
  private readonly s;
  private readonly catchUp: () => void;

  constructor(db: Database.Database) {
    this.s = {
      mark: db.prepare('SELECT id FROM listed_through').pluck(),
      newest: db.prepare('SELECT MAX(id) FROM executions').pluck(),
      listFrom: db.prepare('INSERT OR IGNORE INTO listed (machine, started, exec) SELECT sm_arn, started, id FROM executions WHERE id > ?'),
      listOne: db.prepare('INSERT OR IGNORE INTO listed (machine, started, exec) VALUES (?, ?, ?)'),
      setMark: db.prepare('UPDATE listed_through SET id = ?'),
    };
    this.through = this.s.mark.get() as number;
    this.newest = Math.max(this.through, (this.s.newest.get() as number | null) ?? 0);
    // Its own transaction when the caller has none (a savepoint within a batch's): the entries and the mark go together.
    this.catchUp = db.transaction(() => {
      for (const r of this.early) this.s.listOne.run(r.sm_arn, r.started, r.id);
      this.early = [];
      if (this.newest > this.through) {
        this.s.listFrom.run(this.through);
        this.s.setMark.run(this.newest);
        this.through = this.newest;
      }
    });
  }

  /** A row about to be inserted (in the same transaction as written()). */
  added(r: { sm_arn: string; started: number; id: number }): void {
    if (r.id <= this.through) this.early.push({ sm_arn: r.sm_arn, started: r.started, id: r.id });
    else if (r.id > this.newest) this.newest = r.id;
  }

  /** The rows added so far are inserted: lists them when enough have piled up (or any sits below the mark). */
  written(): void {
    if (this.early.length > 0 || this.newest - this.through >= LISTING_LAG) this.catchUp();
  }

  /** The transaction was rolled back: what is listed is what the store says. */
  discard(): void {
    this.early = [];
    this.through = this.s.mark.get() as number;
    this.newest = Math.max(this.through, (this.s.newest.get() as number | null) ?? 0);
  }
}
