/**
 * The execution store's tables (store.ts): their shape, its version, and the
 * in-place upgrades from every earlier version.
 */
/** Bumped whenever the tables change shape; MIGRATIONS[v] upgrades a file from version v, older files are refused. */
export const SCHEMA_VERSION = 10;

/**
 * A history chunk's row key: the execution's id and the chunk's first event
 * id in one integer. AWS caps a history at 25,000 events; the engine fails an
 * execution long before its ids could reach the next execution's keys.
 */
export const CHUNK_KEY_SPAN = 2 ** 24;
/** Most history events an execution may write (a runaway loop fails instead; one batch writes far fewer than the margin). */
export const MAX_HISTORY_EVENTS = CHUNK_KEY_SPAN - 2 ** 20;

/**
 * Every commit appends to the WAL each page it touched, and a commit per
 * execution is the floor of a durable engine, so the layout minimises pages
 * written per commit (counted from the WAL: 9.6 per 100-state execution in
 * version 1, 6–7 in version 2, 3.3 in version 3):
 * - version 1 indexed executions by (sm_arn, started DESC, arn): every new
 *   execution went to the LEFT end of its machine's range, where the b-tree
 *   rebalances three pages on nearly every insert. Ascending (with the rowid
 *   instead of the ARN), new entries append at the right, ~45 to a page.
 * - version 1 keyed history WITHOUT ROWID: a chunk of a few KB overflowed
 *   its index-tree cell (a second page) and each split rewrote three siblings.
 *   In a rowid table keyed by (exec, first) packed into one integer, a chunk
 *   fits in one page and appends take SQLite's quick-balance path.
 * - version 2 indexed every execution by ARN (UNIQUE): a random leaf per
 *   insert, as generated names are UUIDs. Version 3 indexes only executions
 *   whose name the caller chose (`named = 1`, a partial index); a generated
 *   name carries the execution's id (arns.ts), found through the rowid.
 *   An execution that starts and ends in one batch keeps its history (one
 *   chunk, ~3 KB for 100 states) in its own row: no history row, leaf and
 *   parent page written besides.
 * Within version 5, without a change of tables: every execution's row keeps
 * its first events, each later batch's chunk appended (`#` chunks) while the
 * row stays under ~3 KB, the rest in the history table; and the children a
 * Map or Parallel starts together are one frames row (a JSON array) keyed by
 * minus the largest child id. An AIOS from before these reads such a file's
 * finished executions, but not all of a longer history nor those frames.
 * Version 8 (row-compaction.ts): a row leaves out its ARN when its machine
 * and name make it, and its ExecutionStarted details (~190 bytes: input,
 * role and machine, columns of the same row). Three rows fit a page
 * where two did (counted from the WAL): the 100-state chain run one
 * execution after another writes 2.7 pages per execution instead of 3 (its
 * row ~1,650 bytes before); 1,000 executions waiting on task tokens write
 * ~364 pages instead of ~531 when they start and 334 instead of 500 when
 * they close. With ExecutionStarted written as its values and frames
 * without their defaults (issue 17's engine CPU branch), merged: four token
 * rows to a page (~276 and 251 pages per 1,000), the chain still three.
 * Version 9: a commit of one 100-state chain execution wrote ~3 pages (the
 * row's leaf; the leaf of the (sm_arn, started) index, ~1.3 with its
 * splits; and every third commit a new leaf's parent and the database
 * header, as the table grew by a page). The index is now the `listed` table,
 * written behind the rows, LISTING_LAG at a time (deferred-listing.ts), and
 * a run of top-level forwarding Passes is stored as its length (PASS_RUN in
 * history-chunk.ts: the chain's history ~1,000 characters → ~100, ~11 rows
 * to a page): 1.3 pages per execution.
 * Version 10: 1,000 executions waiting on task tokens filled ~250 leaves at four rows (~990 bytes) a page, written
 * again by their closes. A row names its definition by the definitions row's integer id (`def_hash` keeps its name;
 * 64 characters → 1–3), and its waiting frame leaves out its token's second copy and a request id made from the token
 * (frame-text.ts): five rows to a page.
 */
/**
 * ListExecutions' index: executions by machine and start (ties by id), and the mark below which every execution is in it
 * (deferred-listing.ts). WITHOUT ROWID: the table is its one b-tree.
 */
const LISTING_TABLES = `
CREATE TABLE IF NOT EXISTS listed (machine TEXT NOT NULL, started INTEGER NOT NULL, exec INTEGER NOT NULL, PRIMARY KEY (machine, started, exec)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS listed_through (one INTEGER PRIMARY KEY CHECK (one = 1), id INTEGER NOT NULL);
`;

/** Definitions by integer id, which executions store (version 10); the hash finds a definition already stored. */
const DEFINITIONS_TABLE = 'CREATE TABLE IF NOT EXISTS definitions (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL);';

/**
 * An execution's definition hash as read: since version 10 `def_hash` holds its definition's id (compared as a number
 * with `id`, an INTEGER PRIMARY KEY: one rowid lookup); a hash with no stored definition stays as it was written.
 */
export const DEFINITION_HASH = 'COALESCE((SELECT hash FROM definitions WHERE definitions.id = executions.def_hash), executions.def_hash)';

export const MIGRATIONS: Record<number, string> = {
  1: `
DROP INDEX IF EXISTS executions_by_machine;
CREATE TABLE history_v2 (key INTEGER PRIMARY KEY, last INTEGER NOT NULL, events TEXT NOT NULL);
INSERT INTO history_v2 (key, last, events) SELECT exec * ${CHUNK_KEY_SPAN} + first, last, events FROM history;
DROP TABLE history;
ALTER TABLE history_v2 RENAME TO history;
`,
  // Every existing execution stays findable by ARN: all are marked named (their UUIDs carry no id).
  2: `
CREATE TABLE executions_v3 (id INTEGER PRIMARY KEY, arn TEXT NOT NULL, sm_arn TEXT NOT NULL, name TEXT NOT NULL, def_hash TEXT NOT NULL, role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL, started INTEGER NOT NULL, stopped INTEGER, output TEXT, error TEXT, cause TEXT, timeout_at INTEGER, named INTEGER NOT NULL, history TEXT);
INSERT INTO executions_v3 SELECT id, arn, sm_arn, name, def_hash, role_arn, input, status, started, stopped, output, error, cause, timeout_at, 1, NULL FROM executions;
DROP TABLE executions;
ALTER TABLE executions_v3 RENAME TO executions;
`,
  // Version 4 adds the redrive table (created by SCHEMA).
  3: '',
  // Version 5 drops the frames' index by execution: kept up on every frame written and deleted, read only at
  // a restart, which now reads all frames at once. Waiting task tokens are no longer stored (their frames hold them).
  4: `
DROP INDEX IF EXISTS frames_by_exec;
DELETE FROM tokens WHERE status = 'waiting';
`,
  // Version 6 keeps the tables but not their contents' format: history in the execution row, a Map's or
  // Parallel's children in one frames row. A version 5 file opens as is; the bump makes an AIOS of version 5
  // refuse a version 6 file instead of misreading it.
  5: '',
  // Version 7 keeps a RUNNING execution's top-level frame in its own row (column root), not in the frames table: a task
  // waiting on its token is written with the execution's insert and dropped by its close, no frames row to add and delete.
  // A top-level frame is one whose parent is null, or left out (as version 10 writes it; no version 6 wrote that).
  6: `
ALTER TABLE executions ADD COLUMN root TEXT;
CREATE TEMP TABLE roots AS SELECT exec, body FROM frames WHERE id > 0 AND CASE WHEN json_valid(body) THEN COALESCE(json_type(body, '$.parent'), 'null') = 'null' ELSE 0 END;
CREATE INDEX temp.roots_by_exec ON roots(exec);
UPDATE executions SET root = (SELECT body FROM roots WHERE roots.exec = executions.arn) WHERE status = 'RUNNING';
DELETE FROM frames WHERE id > 0 AND CASE WHEN json_valid(body) THEN COALESCE(json_type(body, '$.parent'), 'null') = 'null' ELSE 0 END;
DROP TABLE temp.roots;
`,
  // Version 8 keeps the tables; an execution's row leaves out what its other columns already say (row-compaction.ts):
  // an empty ARN when its machine and name make it, and its ExecutionStarted details when input, role and machine rebuild
  // them. A version 7 file opens as is (its rows hold both in full); the bump makes an AIOS of version 7 refuse a version 8 file.
  7: '',
  // Version 9 lists executions for ListExecutions in a table written behind the rows (deferred-listing.ts), where an index
  // on the executions table wrote its leaf in every commit. Every existing execution is listed; the mark says so. Its
  // histories may hold runs of Passes (`>n` lines, PASS_RUN in history-chunk.ts): the bump makes an AIOS of version 8 refuse
  // a version 9 file rather than misread them. Version 8 histories have none and read as before.
  8: `
DROP INDEX IF EXISTS executions_by_start;
${LISTING_TABLES}
INSERT OR IGNORE INTO listed (machine, started, exec) SELECT sm_arn, started, id FROM executions;
INSERT OR REPLACE INTO listed_through (one, id) SELECT 1, COALESCE(MAX(id), 0) FROM executions;
`,
  // Version 10 numbers definitions (an explicit INTEGER PRIMARY KEY: VACUUM may renumber a plain rowid) and stores the
  // number in each execution's `def_hash`; a hash with no definition stored stays as it is (such an execution could
  // never resume, and still cannot). Its waiting frames may leave out their token's second copy and their request id
  // (frame-text.ts): the bump makes an AIOS of version 9 refuse a version 10 file rather than misread them. Version 9
  // frames hold both and read as before.
  9: `
CREATE TABLE definitions_v10 (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL);
INSERT INTO definitions_v10 (id, hash, text) SELECT rowid, hash, text FROM definitions ORDER BY rowid;
DROP TABLE definitions;
ALTER TABLE definitions_v10 RENAME TO definitions;
UPDATE executions SET def_hash = (SELECT id FROM definitions WHERE hash = executions.def_hash) WHERE def_hash IN (SELECT hash FROM definitions);
`,
};

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS state_machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER, revision TEXT NOT NULL);
${DEFINITIONS_TABLE}
CREATE TABLE IF NOT EXISTS executions (id INTEGER PRIMARY KEY, arn TEXT NOT NULL, sm_arn TEXT NOT NULL, name TEXT NOT NULL, def_hash TEXT NOT NULL, role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL, started INTEGER NOT NULL, stopped INTEGER, output TEXT, error TEXT, cause TEXT, timeout_at INTEGER, named INTEGER NOT NULL, history TEXT, root TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS executions_by_arn ON executions(arn) WHERE named = 1;
${LISTING_TABLES}
INSERT OR IGNORE INTO listed_through (one, id) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS history (key INTEGER PRIMARY KEY, last INTEGER NOT NULL, events TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS frames (id INTEGER PRIMARY KEY, exec TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, exec TEXT NOT NULL, frame INTEGER NOT NULL, status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tokens_by_exec ON tokens(exec);
CREATE TABLE IF NOT EXISTS redrive (exec INTEGER PRIMARY KEY, point TEXT NOT NULL, count INTEGER NOT NULL, redriven_at INTEGER);
`;
