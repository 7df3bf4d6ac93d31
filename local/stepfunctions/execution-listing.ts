/**
 * ListExecutions' read of the store: one statement per page that reads only
 * the columns a list item shows and each execution's redrive count, so a page
 * costs the same whatever an execution's input, output or history weighs
 * (the engine's own queries read the whole row; a list needs none of it).
 * Newest first; ties (same millisecond) by id, descending: the `listed`
 * table read backwards, no sort, merged with the few executions not yet
 * listed (deferred-listing.ts), read from their rows by rowid and sorted.
 */
import type Database from 'better-sqlite3';
import { EXECUTION_ARN } from './store';

export interface ListedExecution {
  id: number;
  arn: string;
  sm_arn: string;
  name: string;
  status: string;
  started: number;
  stopped: number | null;
  redrive_count: number;
}

/** Where a page starts: after the last execution of the page before it. */
export interface ListCursor {
  started: number;
  id: number;
}

export class ExecutionListing {
  private readonly page: Database.Statement;

  constructor(db: Database.Database) {
    this.page = db.prepare(
      `SELECT l.exec AS id, ${EXECUTION_ARN} AS arn, e.sm_arn, e.name, e.status, l.started, e.stopped, COALESCE(r.count, 0) AS redrive_count
       FROM listed l JOIN executions e ON e.id = l.exec LEFT JOIN redrive r ON r.exec = e.id
       WHERE l.machine = @sm AND (l.started, l.exec) < (@started, @id) AND (@status IS NULL OR e.status = @status)
       UNION ALL
       SELECT e.id, ${EXECUTION_ARN}, e.sm_arn, e.name, e.status, e.started, e.stopped, COALESCE(r.count, 0)
       FROM executions e LEFT JOIN redrive r ON r.exec = e.id
       WHERE e.id > (SELECT id FROM listed_through) AND e.sm_arn = @sm AND (e.started, e.id) < (@started, @id) AND (@status IS NULL OR e.status = @status)
       ORDER BY 6 DESC, 1 DESC LIMIT @limit`,
    );
  }

  /** At most `limit` executions of machine `sm` (of one status, when given) after `after`. */
  list(sm: string, status: string | null, after: ListCursor | null, limit: number): ListedExecution[] {
    return this.page.all({
      sm,
      status,
      started: after?.started ?? Number.MAX_SAFE_INTEGER,
      id: after?.id ?? Number.MAX_SAFE_INTEGER,
      limit,
    }) as ListedExecution[];
  }
}
