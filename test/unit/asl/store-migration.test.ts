/** The execution store upgrades older files in place: history, listing and resume keep working. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStepFunctions } from '../../../local/stepfunctions';
import { encodeChunk } from '../../../local/stepfunctions/history-chunk';
import { ExecutionListing } from '../../../local/stepfunctions/execution-listing';
import { expandStarted } from '../../../local/stepfunctions/row-compaction';
import { EXECUTION_ARN, ExecutionStore } from '../../../local/stepfunctions/store';
import { SCHEMA_VERSION } from '../../../local/stepfunctions/store-schema';
import { generatedName, newRequestId } from '../../../local/stepfunctions/task-token';
import { oneParkedTask, parkedTask, parkingFunctions } from '../../support/parked-tasks';

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

/**
 * Rewrites a store's execution rows as schema 7 wrote them (every ARN and every ExecutionStarted event in full), for the
 * tests that build an older file from one this AIOS wrote.
 */
function rowsAsVersion7(db: Database.Database): void {
  const rows = db.prepare(`SELECT id, ${EXECUTION_ARN} AS arn, history, input, role_arn, sm_arn FROM executions`).all() as {
    id: number;
    arn: string;
    history: string | null;
    input: string;
    role_arn: string;
    sm_arn: string;
  }[];
  const put = db.prepare('UPDATE executions SET arn = ?, history = ? WHERE id = ?');
  for (const r of rows) put.run(r.arn, r.history === null ? null : expandStarted(r.history, r.input, r.role_arn, r.sm_arn), r.id);
}

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
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
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
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
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
    const name = generatedName(42);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-00000000002a$/);
    store.insertExecution(row(42, name));
    expect(store.getExecution(execArn(name))?.id).toBe(42);
    expect(store.db.prepare('SELECT named FROM executions WHERE id = 42').pluck().get()).toBe(0);
    // The same id under another prefix is another (unknown) execution.
    expect(store.getExecution(execArn(`00000000-0000-4000-8000-${name.slice(24)}`))).toBeUndefined();
  });

  test('a caller-chosen name that looks generated but carries another id is indexed and found', () => {
    const generated = generatedName(5);
    store.insertExecution(row(5, generated));
    const lookalike = `aaaaaaaa${generated.slice(8)}`;
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

test('a version 6 store is migrated: a waiting top-level frame moves from the frames table into its execution row, and the task resumes', async () => {
  const { functions, tokens } = parkingFunctions();
  const definition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Ask',
            States: {
              Ask: {
                ...parkedTask(),
                End: true,
              },
            },
          },
        ],
        Next: 'Ask',
      },
      Ask: {
        ...parkedTask(),
        End: true,
      },
    },
  };
  const first = openStepFunctions({ dataDir: dir, functions });
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'old', definition: JSON.stringify(definition) })) as {
    stateMachineArn: string;
  };
  const { executionArn } = await first.engine.startExecution({ stateMachineArn });
  while (tokens.length < 1) await new Promise((r) => setTimeout(r, 5));
  first.close();
  // Rewritten as version 6 kept it: the top-level frame in the frames table, no root column.
  const file = path.join(dir, 'stepfunctions.sqlite');
  const db = new Database(file);
  rowsAsVersion7(db);
  const root = db.prepare('SELECT root FROM executions WHERE arn = ?').pluck().get(executionArn) as string;
  const rootId = (JSON.parse(root) as { id: number }).id;
  db.prepare('INSERT INTO frames (id, exec, body) VALUES (?, ?, ?)').run(rootId, executionArn, root);
  db.exec('ALTER TABLE executions DROP COLUMN root');
  db.pragma('user_version = 6');
  db.close();

  const second = openStepFunctions({ dataDir: dir, functions });
  try {
    expect(second.store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(second.store.runningExecutions().map((r) => r.root)).toEqual([root]);
    // The frames table keeps the Parallel's branch only; every frame is still listed, the top-level one from its row.
    expect(second.store.childFrames().map((f) => f.id)).not.toContain(rootId);
    expect(second.store.allFrames().map((f) => f.id)).toContain(rootId);
    expect(second.store.maxFrameId()).toBeGreaterThan(rootId);
    expect(second.engine.executionOfToken(tokens[0])).toBe(executionArn);
    await second.engine.sendTaskSuccess(tokens[0], '"branch"');
    while (tokens.length < 2) await new Promise((r) => setTimeout(r, 5));
    await second.engine.sendTaskSuccess(tokens.at(-1), '"top"');
    const row = await second.engine.waitForExecution(executionArn);
    expect([row.status, JSON.parse(row.output!)]).toEqual(['SUCCEEDED', 'top']);
    expect(second.store.allFrames()).toEqual([]);
  } finally {
    second.close();
  }
});

test('a version 7 store opens as it is: rows with their ARN and ExecutionStarted in full are read beside compact ones', async () => {
  const { functions, tokens } = parkingFunctions();
  const definition = oneParkedTask();
  const first = openStepFunctions({ dataDir: dir, functions });
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'seven', definition: JSON.stringify(definition) })) as {
    stateMachineArn: string;
  };
  const waiting = (await first.engine.startExecution({ stateMachineArn, input: '{"n":1}' })).executionArn;
  const waitingId = first.store.getExecution(waiting)!.id;
  // Closed once the function's acceptance is committed, so the restart does not invoke it again.
  while (!first.store.history(waitingId, 0, 100, false).some((e) => e[2] === 'TaskSubmitted')) await new Promise((r) => setTimeout(r, 5));
  const historyBefore = first.store.history(first.store.getExecution(waiting)!.id, 0, 100, false);
  first.close();
  const file = path.join(dir, 'stepfunctions.sqlite');
  const db = new Database(file);
  // This AIOS left both out of the row; version 7 wrote them.
  expect(db.prepare('SELECT arn, substr(history, instr(history, char(10)) + 1, 9) FROM executions').raw().get()).toEqual([
    '',
    expect.stringMatching(/^0\t0\t1\t\*[je]\n$/),
  ]);
  rowsAsVersion7(db);
  db.pragma('user_version = 7');
  db.close();

  const second = openStepFunctions({ dataDir: dir, functions });
  try {
    expect(second.store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const old = second.store.getExecution(waiting)!;
    expect(old.arn).toBe(waiting);
    expect(second.store.history(old.id, 0, 100, false)).toEqual(historyBefore);
    expect(historyBefore[0][2]).toBe('ExecutionStarted');
    expect(historyBefore[0][4]).toMatchObject({ input: '{"n":1}', stateMachineArn });
    // A new execution is written compact and reads back the same way.
    const fresh = (await second.engine.startExecution({ stateMachineArn, input: '{"n":2}' })).executionArn;
    while (!tokens.some((t) => second.engine.executionOfToken(t) === fresh)) await new Promise((r) => setTimeout(r, 5));
    const freshRow = second.store.getExecution(fresh)!;
    expect(second.store.db.prepare('SELECT arn FROM executions WHERE id = ?').pluck().get(freshRow.id)).toBe('');
    expect(second.store.history(freshRow.id, 0, 1, false)[0][4]).toMatchObject({ input: '{"n":2}', stateMachineArn });
    const listed = new ExecutionListing(second.store.db).list(stateMachineArn, null, null, 10).map((r) => r.arn);
    expect(listed).toEqual([fresh, waiting]);
    // Both resume: the old row's task from its frame, the new one's too.
    expect(second.engine.executionOfToken(tokens[0])).toBe(waiting);
    await second.engine.sendTaskSuccess(tokens[0], '"one"');
    await second.engine.sendTaskSuccess(
      tokens.find((t) => second.engine.executionOfToken(t) === fresh)!,
      '"two"',
    );
    expect(JSON.parse((await second.engine.waitForExecution(waiting)).output!)).toBe('one');
    expect(JSON.parse((await second.engine.waitForExecution(fresh)).output!)).toBe('two');
    expect(second.store.history(old.id, 0, 100, false).slice(0, historyBefore.length)).toEqual(historyBefore);
  } finally {
    second.close();
  }
});

describe('what a row leaves out (schema 8)', () => {
  let store: ExecutionStore;
  beforeEach(() => {
    store = new ExecutionStore(path.join(dir, 'stepfunctions.sqlite'));
  });
  afterEach(() => store.close());
  const started = (input: string, role: string, machine: string) =>
    encodeChunk([
      [1, 5000, 'ExecutionStarted', 0, { input, inputDetails: { truncated: false }, roleArn: role, stateMachineArn: machine }, null, null],
      [2, 5000, 'PassStateEntered', 1, 'S0', 'input', JSON.parse(input)],
    ] as never);
  const stored = (id: number) => store.db.prepare('SELECT arn, history FROM executions WHERE id = ?').get(id) as { arn: string; history: string };

  test('ExecutionStarted details the row rebuilds are left out and read back exactly', () => {
    const name = generatedName(11);
    const text = started('{"say":"tab\\there \\"quoted\\""}', 'r', SM);
    store.insertExecution({ ...row(11, name), input: '{"say":"tab\\there \\"quoted\\""}' }, text);
    expect(stored(11)).toEqual({ arn: '', history: expect.stringContaining('\n0\t0\t1\t*j\n') });
    expect(stored(11).history.length).toBeLessThan(text.length - 100);
    expect(store.getExecution(execArn(name))?.arn).toBe(execArn(name));
    expect(store.history(11, 0, 10, false)).toEqual([
      [
        1,
        5000,
        'ExecutionStarted',
        0,
        { input: '{"say":"tab\\there \\"quoted\\""}', inputDetails: { truncated: false }, roleArn: 'r', stateMachineArn: SM },
        null,
        null,
      ],
      [2, 5000, 'PassStateEntered', 1, 'S0', 'input', { say: 'tab\there "quoted"' }],
    ]);
    expect(store.maxEventId(11)).toBe(2);
  });

  test('details written as their values (`e`: input, role, machine) are left out and rebuilt the same way', () => {
    const name = generatedName(14);
    const text = `1\t5000\n0\t0\t1\te${JSON.stringify('{"n":"\\u00e9"}')},"r",${JSON.stringify(SM)}\n0\t5sS0\n0\n`;
    store.insertExecution({ ...row(14, name), input: '{"n":"\\u00e9"}' }, text);
    expect(stored(14).history).toBe('1\t5000\n0\t0\t1\t*e\n0\t5sS0\n0\n');
    expect(expandStarted(stored(14).history, '{"n":"\\u00e9"}', 'r', SM)).toBe(text);
    expect(expandStarted(text, '{}', 'r', SM)).toBe(text);
  });

  test('details that differ from the row, and ARNs the row does not make, are kept as written', () => {
    const name = generatedName(12);
    const otherRole = started('{}', 'another-role', SM);
    store.insertExecution(row(12, name), otherRole);
    expect(stored(12).history).toBe(otherRole);
    // A version-qualified machine ARN: the execution ARN is not the machine ARN with its type changed, so it is stored.
    const qualified = generatedName(13);
    store.insertExecution({ ...row(13, qualified), sm_arn: `${SM}:3` }, started('{}', 'r', `${SM}:3`));
    expect(stored(13).arn).toBe(execArn(qualified));
    expect(stored(13).history).toContain('\n0\t0\t1\t*j\n');
    expect(store.getExecution(execArn(qualified))?.sm_arn).toBe(`${SM}:3`);
    expect((store.history(13, 0, 1, false)[0][4] as { stateMachineArn: string }).stateMachineArn).toBe(`${SM}:3`);
  });
});

/**
 * Rewrites a store as schema 9 wrote it: definitions keyed by their hash alone, each execution naming its definition by
 * hash, and waiting frames with their token and request id written out and their parent and index set.
 */
function asVersion9(db: Database.Database, requestId: string): void {
  db.exec(`
UPDATE executions SET def_hash = (SELECT hash FROM definitions WHERE id = def_hash) WHERE def_hash IN (SELECT id FROM definitions);
CREATE TABLE definitions_v9 (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO definitions_v9 (hash, text) SELECT hash, text FROM definitions;
DROP TABLE definitions;
ALTER TABLE definitions_v9 RENAME TO definitions;
`);
  const put = db.prepare('UPDATE executions SET root = ? WHERE id = ?');
  for (const { id, root } of db.prepare('SELECT id, root FROM executions WHERE root IS NOT NULL').all() as { id: number; root: string }[]) {
    const frame = JSON.parse(root) as { task: { call: { payload: { token: string } }; token: unknown } };
    put.run(JSON.stringify({ parent: null, idx: 0, ...frame, task: { ...frame.task, token: frame.task.call.payload.token, requestId } }), id);
  }
  db.pragma('user_version = 9');
}

test('a version 9 store is migrated: executions name their definition by id, and waiting frames written in full resume', async () => {
  const { functions, tokens } = parkingFunctions();
  const requestIds: string[] = [];
  let accepting = false;
  // Not accepted before the stop (no TaskSubmitted): the restart hands each function its task again.
  functions.register('park', (event, context) => {
    requestIds.push(context.awsRequestId);
    tokens.push((event as { token: string }).token);
    return accepting ? Promise.resolve(null) : new Promise(() => {});
  });
  const machine = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'Ask' }, Ask: { ...parkedTask(), End: true } } };
  const first = openStepFunctions({ dataDir: dir, functions });
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'nine', definition: JSON.stringify(machine) })) as {
    stateMachineArn: string;
  };
  const other = (await first.service.handle('CreateStateMachine', { name: 'other', definition: JSON.stringify(oneParkedTask()) })) as {
    stateMachineArn: string;
  };
  const waiting = (await first.engine.startExecution({ stateMachineArn, input: '{"n":1}' })).executionArn;
  const second = (await first.engine.startExecution({ stateMachineArn: other.stateMachineArn })).executionArn;
  while (tokens.length < 2) await new Promise((r) => setTimeout(r, 5));
  const rows = [first.store.getExecution(waiting)!, first.store.getExecution(second)!];
  const histories = rows.map((r) => first.store.history(r.id, 0, 100, false));
  // The Passes are stored as one run (PASS_RUN), read back through the execution's definition.
  expect(histories[0].map((e) => e[2])).toContain('PassStateExited');
  // A third execution names a definition the file lacks (as an AIOS whose transaction failed could leave it).
  first.store.insertExecution({ ...rows[1], id: 99, arn: execArn('lost'), name: 'lost', def_hash: 'f'.repeat(64), status: 'FAILED' });
  first.close();
  const file = path.join(dir, 'stepfunctions.sqlite');
  const db = new Database(file);
  const hashes = db.prepare('SELECT hash FROM definitions ORDER BY id').pluck().all() as string[];
  expect(db.prepare('SELECT def_hash FROM executions ORDER BY id').pluck().all()).toEqual(['1', '2', 'f'.repeat(64)]);
  const oldRequestId = newRequestId();
  asVersion9(db, oldRequestId);
  expect(db.prepare('SELECT def_hash FROM executions ORDER BY id').pluck().all()).toEqual([...hashes, 'f'.repeat(64)]);
  db.close();

  accepting = true;
  const again = openStepFunctions({ dataDir: dir, functions });
  try {
    expect(again.store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.store.db.prepare('SELECT id, hash FROM definitions ORDER BY id').raw().all()).toEqual(hashes.map((h, i) => [i + 1, h]));
    expect(again.store.db.prepare('SELECT def_hash FROM executions ORDER BY id').pluck().all()).toEqual(['1', '2', 'f'.repeat(64)]);
    expect([again.store.getExecution(waiting)!.def_hash, again.store.getExecution(second)!.def_hash]).toEqual(hashes);
    expect(again.store.getExecution(execArn('lost'))!.def_hash).toBe('f'.repeat(64));
    expect(rows.map((r) => again.store.history(r.id, 0, 100, false))).toEqual(histories);
    // Each function is handed its task again with the request id its frame stored.
    while (tokens.length < 4) await new Promise((r) => setTimeout(r, 5));
    expect(requestIds.slice(2)).toEqual([oldRequestId, oldRequestId]);
    expect(tokens.slice(2).sort()).toEqual(tokens.slice(0, 2).sort());
    await again.engine.sendTaskSuccess(tokens[0], '"one"');
    await again.engine.sendTaskSuccess(tokens[1], '"two"');
    const outputs = await Promise.all([waiting, second].map(async (arn) => JSON.parse((await again.engine.waitForExecution(arn)).output!)));
    expect(outputs.sort()).toEqual(['one', 'two']);
    // A new execution of a migrated machine names the definition's id.
    const fresh = (await again.engine.startExecution({ stateMachineArn })).executionArn;
    const freshId = again.store.getExecution(fresh)!.id;
    expect(again.store.db.prepare('SELECT def_hash FROM executions WHERE id = ?').pluck().get(freshId)).toBe('1');
  } finally {
    again.close();
  }
});

test('a task waiting on its token, restarted before its function accepted it, is handed over again with the same request id', async () => {
  const { functions, tokens } = parkingFunctions();
  const requestIds: string[] = [];
  functions.register('park', (event, context) => {
    requestIds.push(context.awsRequestId);
    tokens.push((event as { token: string }).token);
    // Never accepted in the first runtime: its TaskSubmitted is never written.
    return tokens.length === 1 ? new Promise(() => {}) : Promise.resolve(null);
  });
  const first = openStepFunctions({ dataDir: dir, functions });
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'again', definition: JSON.stringify(oneParkedTask()) })) as {
    stateMachineArn: string;
  };
  const { executionArn } = await first.engine.startExecution({ stateMachineArn });
  while (tokens.length < 1) await new Promise((r) => setTimeout(r, 5));
  first.close();
  const root = JSON.parse(
    new Database(path.join(dir, 'stepfunctions.sqlite'), { readonly: true }).prepare('SELECT root FROM executions').pluck().get() as string,
  );
  expect(root.task).toEqual({ call: expect.anything(), token: ['token'] });
  const second = openStepFunctions({ dataDir: dir, functions });
  try {
    while (tokens.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(tokens[1]).toBe(tokens[0]);
    expect(requestIds[1]).toBe(requestIds[0]);
    expect(requestIds[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    await second.engine.sendTaskSuccess(tokens[1], '"done"');
    expect(JSON.parse((await second.engine.waitForExecution(executionArn)).output!)).toBe('done');
  } finally {
    second.close();
  }
});
