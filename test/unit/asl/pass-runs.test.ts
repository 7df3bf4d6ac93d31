/**
 * A run of top-level forwarding Passes is stored as its length (`>n`, store schema 9) and read back, with the execution's
 * definition, as exactly the events written one by one: ids, times, names and payloads.
 */
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import { ChunkWriter, decodeChunk, expandPassRuns } from '../../../local/stepfunctions/history-chunk';

/** A deterministic sequence of numbers in [0, 1) (the test must not depend on the run). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('ChunkWriter runs of forwarding Passes', () => {
  const names = Array.from({ length: 300 }, (_, i) => (i % 97 === 50 ? `odd\tname ${i}` : `S${i}`));
  const next = new Map(names.slice(0, -1).map((name, i) => [name, names[i + 1]]));
  const nextOf = (state: string) => next.get(state);

  test.each([1, 2, 3, 4, 5])('a chunk written with each Pass its Next reads back as the one written without (seed %i)', (seed) => {
    const random = numbers(seed);
    const p = { x: seed };
    const withRuns = new ChunkWriter(1, 1000);
    const without = new ChunkWriter(1, 1000);
    const both = (f: (w: ChunkWriter, last: boolean) => void) => {
      f(withRuns, true);
      f(without, false);
    };
    both((w) => w.add(1, 1000, 'ExecutionStarted', 0, { input: '{}' }, 'input', p));
    let id = 2;
    let ts = 1000;
    let state = 0;
    while (state < names.length) {
      const r = random();
      if (r < 0.05) ts += 1 + Math.floor(random() * 40);
      const eventId = id;
      const name = names[state];
      const after = state + 1 < names.length ? names[state + 1] : undefined;
      if (r > 0.97) {
        // Another event between two Passes ends a run; so does a Pass whose input is not the previous payload.
        both((w) => w.add(eventId, ts, 'WaitStateEntered', eventId - 1, 'W', 'input', p));
        both((w) => w.add(eventId + 1, ts, 'WaitStateExited', eventId, 'W', 'output', p));
        id += 2;
        continue;
      }
      const payload = r > 0.95 ? { x: seed } : p;
      both((w, runs) => w.addPass(eventId, ts, eventId - 1, name, payload, runs ? after : undefined));
      id += 2;
      state++;
      // Reading the text mid-way (a batch's chunk is read once, but nothing may depend on that) ends a run too.
      if (random() < 0.02) withRuns.toString();
    }
    both((w) => w.add(id, ts, 'ExecutionSucceeded', id - 1, null, 'output', p));
    const stored = withRuns.toString();
    expect(stored).toContain('\n>');
    expect(stored.length).toBeLessThan(without.toString().length / 2);
    expect(withRuns.last).toBe(without.last);
    expect(expandPassRuns(stored, nextOf)).toBe(without.toString());
    expect(decodeChunk(expandPassRuns(stored, nextOf))).toEqual(decodeChunk(without.toString()));
  });

  test('a run longer than the cached run lines, and text without runs, read back as written', () => {
    const p = { x: 1 };
    const writer = new ChunkWriter(1, 5);
    writer.add(1, 5, 'ExecutionStarted', 0, null, 'input', p);
    for (let i = 0; i < 200; i++) writer.addPass(2 + 2 * i, 5, 1 + 2 * i, `S${i}`, p, `S${i + 1}`);
    const text = writer.toString();
    expect(text.split('\n').slice(-4)).toEqual(['0\t5sS0', '0', '>199', '']);
    const events = decodeChunk(expandPassRuns(text, (s) => `S${Number(s.slice(1)) + 1}`));
    expect(events).toHaveLength(401);
    expect(events.at(-1)).toEqual([401, 5, 'PassStateExited', 400, 'S199', 'output', p]);
    expect(expandPassRuns('1\t5\n0\t5sS0\n0\n', () => undefined)).toBe('1\t5\n0\t5sS0\n0\n');
    expect(() => expandPassRuns(text, () => undefined)).toThrow(/does not follow the definition/);
  });
});

describe('executions whose history holds runs of Passes', () => {
  let sfn: LocalStepFunctions;
  let calls = 0;
  beforeEach(() => {
    const functions = new FunctionRegistry();
    calls = 0;
    functions.register('step', async (input) => {
      calls++;
      return input;
    });
    functions.register('failOnce', async (input) => {
      if (calls++ === 0) throw new Error('first call fails');
      return input;
    });
    sfn = openStepFunctions({ dataDir: ':memory:', functions });
  });
  afterEach(() => sfn.close());

  const chain = (prefix: string, n: number, then: string | null) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `${prefix}${i}`,
        i + 1 < n ? { Type: 'Pass', Next: `${prefix}${i + 1}` } : then ? { Type: 'Pass', Next: then } : { Type: 'Pass', End: true },
      ]),
    );
  /** Top-level Passes around a Parallel whose branch uses the same names in the opposite order, then a Task (a later batch). */
  const DEFINITION = {
    StartAt: 'P0',
    States: {
      ...chain('P', 40, 'Fork'),
      Fork: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'P3', States: { P3: { Type: 'Pass', Next: 'P2' }, P2: { Type: 'Pass', Next: 'P1' }, P1: { Type: 'Pass', End: true } } }],
        OutputPath: '$[0]',
        Next: 'Call',
      },
      Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:step', Next: 'Q0' },
      ...chain('Q', 30, null),
    },
  };
  const stateOrder = [...Array.from({ length: 40 }, (_, i) => `P${i}`), 'Fork', 'P3', 'P2', 'P1', 'Call', ...Array.from({ length: 30 }, (_, i) => `Q${i}`)];

  type HistoryEvent = { id: number; previousEventId: number; timestamp: number; type: string; stateEnteredEventDetails?: { name: string } };
  const history = async (executionArn: string, extra: Record<string, unknown> = {}) =>
    (await sfn.service.handle('GetExecutionHistory', { executionArn, maxResults: 1000, ...extra })) as { events: HistoryEvent[]; nextToken?: string };

  test.each([
    ['kept in its row', { n: 1 }],
    ['too long for its row (the history table)', { text: 'x'.repeat(3000) }],
  ])('GetExecutionHistory names every state in order, ids and times following on, when its history is %s', async (_where, input) => {
    const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: 'runs', definition: JSON.stringify(DEFINITION) })) as {
      stateMachineArn: string;
    };
    const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
    const row = await sfn.engine.waitForExecution(executionArn);
    expect(row.status).toBe('SUCCEEDED');
    expect(calls).toBe(1);
    const stored = sfn.store.db.prepare("SELECT group_concat(events, '') FROM history").pluck().get() as string | null;
    const inRow = sfn.store.db.prepare('SELECT history FROM executions').pluck().get() as string | null;
    expect(`${stored ?? ''}${inRow ?? ''}`).toMatch(/\n>\d+\n/);

    const { events } = await history(executionArn);
    const entered = events.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name);
    expect(entered).toEqual(stateOrder);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i++) {
      expect(events[i].timestamp).toBeGreaterThanOrEqual(events[i - 1].timestamp);
      if (events[i].type.startsWith('Pass')) expect(events[i].previousEventId).toBe(i);
    }
    expect(events[0].timestamp * 1000).toBeGreaterThanOrEqual(row.started);
    expect(events.at(-1)!.timestamp * 1000).toBeLessThanOrEqual(row.stopped!);

    // Pages of 7, forwards and backwards, cut runs anywhere: the same events.
    const paged: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await history(executionArn, { maxResults: 7, ...(nextToken ? { nextToken } : {}) });
      paged.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged).toEqual(events);
    const backwards = (await history(executionArn, { reverseOrder: true })).events;
    expect(backwards).toEqual([...events].reverse());
    expect(sfn.store.maxEventId(sfn.store.getExecution(executionArn)!.id)).toBe(events.length);
  });

  test('a redriven execution reads its history, runs included, before the events of its redrive', async () => {
    const definition = {
      StartAt: 'P0',
      States: {
        ...chain('P', 30, 'Call'),
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:failOnce', Next: 'Q0' },
        ...chain('Q', 30, null),
      },
    };
    const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: 'redriven', definition: JSON.stringify(definition) })) as {
      stateMachineArn: string;
    };
    const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: '{"n":1}' });
    expect((await sfn.engine.waitForExecution(executionArn)).status).toBe('FAILED');
    const failed = (await history(executionArn)).events;
    await sfn.service.handle('RedriveExecution', { executionArn });
    expect((await sfn.engine.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    const { events } = await history(executionArn);
    expect(events.slice(0, failed.length)).toEqual(failed);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    const entered = events.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name);
    expect(entered).toEqual([...Array.from({ length: 30 }, (_, i) => `P${i}`), 'Call', 'Call', ...Array.from({ length: 30 }, (_, i) => `Q${i}`)]);
  });
});
