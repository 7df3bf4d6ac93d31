/**
 * A frame is stored without the fields that hold their default (frame-text.ts):
 * reading it back gives the same data, frames stored in full by earlier
 * versions still read, and a runtime restarted mid-Map resumes children stored so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import type { FrameData } from '../../../local/stepfunctions/frame';
import { frameText, parseBrood, parseFrame, storedFrame } from '../../../local/stepfunctions/frame-text';
import { newRequestId, newTaskToken, requestIdOfToken } from '../../../local/stepfunctions/task-token';
import { untilTrue as until } from '../../support/until';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

function waitingChild(): FrameData {
  return {
    id: 7,
    parent: 3,
    idx: 0,
    state: 'Inc',
    input: 41,
    phase: 'task',
    fresh: false,
    enteredTime: '2026-12-07T03:00:00.000Z',
    retryCount: 0,
    attempts: [],
    lastEventId: 9,
    enteredEventId: 7,
    task: {
      call: { functionName: 'inc', payload: 41, kind: 'direct', waitForTaskToken: false, timeoutSeconds: null, heartbeatSeconds: null },
      requestId: 'a4c1f2e0-77aa-4b1c-8d2e-000000000001',
    },
  };
}

test('a frame with its defaults left out reads back as the same data', () => {
  const child = waitingChild();
  const text = frameText(child);
  expect(JSON.parse(text)).not.toHaveProperty('retryCount');
  expect(JSON.parse(text).task.call).not.toHaveProperty('payload');
  expect(parseFrame(text)).toEqual(child);
});

test('every field of a frame survives its text', () => {
  const full: FrameData = {
    ...waitingChild(),
    parent: null,
    idx: 2,
    input: { a: [1, { b: 'c\td' }] },
    fresh: true,
    retryCount: 2,
    attempts: [1, 1],
    task: {
      call: { functionName: 'park', payload: { token: 'x' }, kind: 'invoke', waitForTaskToken: true, timeoutSeconds: 30, heartbeatSeconds: 5 },
      resource: 'invoke.waitForTaskToken',
      token: 'AAAAtoken',
      submitted: true,
      requestId: 'r',
      timeoutAt: 1_800_000_000_000,
      heartbeatAt: 1_800_000_000_500,
    },
    dueAt: 1_800_000_001_000,
    waitOutput: { w: 1 },
    fork: { kind: 'map', total: 3, running: 1, finished: 1, failed: 0, nextIndex: 2, maxConcurrency: 1, toleratedCount: null, toleratedPercentage: 10 },
    output: [1, 2],
    failure: { error: 'E', cause: 'C' },
    vars: { x: 1 },
    evaluation: { kind: 'catch', catcherIndex: 0, error: 'E', cause: 'C' },
    waitAssign: { y: 2 },
    failedFork: { kind: 'parallel', children: [{ output: 1 }], maxConcurrency: 0, toleratedCount: null, toleratedPercentage: null },
    redriveFork: { kind: 'map', children: [{ point: { state: 'S', input: 1 } }], maxConcurrency: 0, toleratedCount: 1, toleratedPercentage: null },
  };
  expect(parseFrame(frameText(full))).toEqual(full);
});

test('a frame stored in full (as before) reads as it did', () => {
  const child = waitingChild();
  expect(parseFrame(JSON.stringify(child))).toEqual(child);
});

test('children written together leave out what they share with the one before, and read back whole', () => {
  const first = waitingChild();
  const same = { ...waitingChild(), id: 8, idx: 1, input: 42, lastEventId: 12, enteredEventId: 10 };
  same.task = { ...same.task!, call: { ...same.task!.call, payload: 42 }, requestId: 'r2' };
  // Differs from the one before in all it could share: not entered yet, no task, another state.
  const other: FrameData = { ...waitingChild(), id: 9, idx: 2, state: 'Other', phase: 'pending', fresh: true, enteredTime: '', task: undefined };
  // A task calling another function, entered at another time, in a retry.
  const retried: FrameData = {
    ...waitingChild(),
    id: 10,
    idx: 3,
    enteredTime: '2026-12-07T03:00:01.000Z',
    retryCount: 1,
    attempts: [1],
    task: { call: { ...waitingChild().task!.call, functionName: 'dec', kind: 'invoke', payload: { p: 1 } }, requestId: 'r4' },
  };
  // Calls what the one before calls (not what the first calls).
  const next: FrameData = { ...retried, id: 11, idx: 4, retryCount: 0, attempts: [], task: { ...retried.task!, requestId: 'r5' } };
  const children = [first, same, other, retried, next];
  const text = `[${children.map((c, i) => frameText(c, i === 0 ? undefined : children[i - 1])).join(',')}]`;
  const stored = JSON.parse(text) as Record<string, unknown>[];
  expect(Object.keys(stored[1]).sort()).toEqual(['enteredEventId', 'id', 'idx', 'input', 'lastEventId', 'task']);
  expect(Object.keys((stored[4].task as { call: object }).call)).toEqual(['payload']);
  expect(parseBrood(text)).toEqual(JSON.parse(JSON.stringify(children)));
  // Rows of children written in full (as before) read as they did.
  expect(parseBrood(JSON.stringify(children))).toEqual(JSON.parse(JSON.stringify(children)));
});

describe('a restart mid-Map', () => {
  let dir: string;
  const opened: LocalStepFunctions[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aios-frame-text-'));
  });
  afterEach(() => {
    for (const sfn of opened.splice(0)) sfn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('resumes children stored without their payload: each function gets its own item again', async () => {
    const received: unknown[] = [];
    const stuck = new FunctionRegistry();
    // The first runtime's function never answers: the children stay waiting on it when the runtime stops.
    stuck.register('inc', (n) => {
      received.push(n);
      return new Promise(() => {});
    });
    const definition = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Inc', States: { Inc: { Type: 'Task', Resource: fn('inc'), End: true } } }, End: true } },
    };
    const first = openStepFunctions({ dataDir: dir, functions: stuck });
    opened.push(first);
    const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'each', definition: JSON.stringify(definition) })) as {
      stateMachineArn: string;
    };
    const { executionArn } = await first.engine.startExecution({ stateMachineArn, input: JSON.stringify([10, 20, 30]) });
    await until(() => received.length === 3);
    const brood = first.store.allFrames().find((r) => r.id < 0)!;
    const stored = JSON.parse(brood.body) as { task: { call: Record<string, unknown> } }[];
    // The first child names the function; the others share it (and their state, phase and entry time) with the one before.
    expect(stored.map((c) => Object.keys(c.task.call))).toEqual([['functionName', 'kind'], [], []]);
    expect(stored.map((c) => 'state' in c)).toEqual([true, false, false]);
    opened.splice(opened.indexOf(first), 1);
    first.close();

    const again: unknown[] = [];
    const working = new FunctionRegistry();
    working.register('inc', async (n) => {
      again.push(n);
      return (n as number) + 1;
    });
    const second = openStepFunctions({ dataDir: dir, functions: working });
    opened.push(second);
    const row = await second.engine.waitForExecution(executionArn);
    expect([row.status, JSON.parse(row.output!)]).toEqual(['SUCCEEDED', [11, 21, 31]]);
    expect((again as number[]).sort((a, b) => a - b)).toEqual([10, 20, 30]);
  });
});

test('a waiting task spelled out is the JSON of its stored object, alone and after a sibling, whatever it holds', () => {
  const base = waitingChild();
  const variants: ((d: FrameData) => void)[] = [
    () => {},
    (d) => (d.parent = null),
    (d) => (d.state = 'Other "quoted"\tstate'),
    (d) => (d.input = { a: [1, 'two', null, { b: '\u2028é' }] }),
    (d) => (d.input = null),
    (d) => (d.enteredTime = ''),
    (d) => (d.enteredTime = '2026-12-07T03:00:00.001Z'),
    (d) => (d.lastEventId = 0),
    (d) => (d.enteredEventId = undefined),
    (d) => (d.task!.call = { ...d.task!.call, payload: { token: 'AAAA' }, kind: 'invoke', waitForTaskToken: true }),
    (d) => (d.task!.call = { ...d.task!.call, functionName: 'other' }),
    (d) => (d.task!.call = { ...d.task!.call, payload: 41 }),
    (d) => (d.task!.token = 'AAAA-token'),
    (d) => (d.task!.token = 'to"k\\en\u0001\u007f'),
    (d) => (d.task!.requestId = 'réquest\ud800'),
    (d) => (d.task!.requestId = undefined as never),
    (d) => (d.task!.call = { ...d.task!.call, timeoutSeconds: 30 }),
    (d) => (d.task!.timeoutAt = 5),
    (d) => (d.task!.submitted = true),
    (d) => (d.retryCount = 1),
    (d) => (d.phase = 'done'),
    (d) => (d.output = 3),
  ];
  const variant = (i: number): FrameData => {
    const d = structuredClone(base);
    variants[i](d);
    return d;
  };
  for (let i = 0; i < variants.length; i++) {
    const d = variant(i);
    expect(frameText(d)).toBe(JSON.stringify(storedFrame(d)));
    for (let j = 0; j < variants.length; j++) {
      const previous = variant(j);
      previous.id = 6;
      expect(frameText(d, previous)).toBe(JSON.stringify(storedFrame(d, previous)));
    }
  }
});

test('an execution waiting on a task token, spelled out, is the JSON of its stored object, whatever it holds', () => {
  const waiting = (): FrameData => ({
    ...waitingChild(),
    parent: null,
    state: 'Ask',
    input: {},
    task: {
      call: { functionName: 'park', payload: { token: 'AAAA-token' }, kind: 'invoke', waitForTaskToken: true, timeoutSeconds: null, heartbeatSeconds: null },
      token: 'AAAA-token',
      requestId: 'a4c1f2e0-77aa-4b1c-8d2e-000000000001',
    },
  });
  const variants: ((d: FrameData) => void)[] = [
    () => {},
    (d) => (d.state = 'Ask "quoted"\tstate'),
    (d) => (d.input = 7.5),
    (d) => (d.input = { a: ['é', '\u2028'] }),
    (d) => (d.task!.call.payload = 12),
    (d) => (d.task!.call.payload = d.input),
    (d) => (d.task!.call.functionName = 'pärk'),
    (d) => (d.task!.token = 'to"k\\en\u0001'),
    (d) => (d.task!.requestId = 'réquest'),
    (d) => (d.task!.payloadJson = JSON.stringify(d.task!.call.payload)),
    (d) => (d.enteredTime = ''),
    (d) => (d.lastEventId = 0),
    (d) => (d.enteredEventId = undefined),
    (d) => (d.idx = 3),
    (d) => (d.parent = 2),
    (d) => (d.task!.call.waitForTaskToken = false),
    (d) => (d.task!.call.kind = 'direct'),
  ];
  for (const variant of variants) {
    const d = waiting();
    variant(d);
    const expected = JSON.stringify(storedFrame(d));
    expect(frameText(d)).toBe(expected);
    expect(d.task!.payloadJson).toBeUndefined();
    expect(parseFrame(expected)).toEqual({ ...d, task: { ...d.task, payloadJson: undefined } });
  }
});

describe('an execution waiting on its token (store schema 10)', () => {
  const waitingOn = (payload: (token: string) => FrameData['input'], input: FrameData['input'] = {}): FrameData => {
    const token = newTaskToken();
    return {
      ...waitingChild(),
      parent: null,
      idx: 0,
      state: 'Ask',
      input,
      task: {
        call: { functionName: 'park', payload: payload(token), kind: 'invoke', waitForTaskToken: true, timeoutSeconds: null, heartbeatSeconds: null },
        token,
        requestId: requestIdOfToken(token)!,
      },
    };
  };
  const both = (d: FrameData) => {
    const text = frameText(d);
    expect(text).toBe(JSON.stringify(storedFrame(d)));
    return text;
  };

  test('stores its token once, as where the payload holds it, and no request id the token makes; reads back the same', () => {
    const d = waitingOn((token) => ({ token, other: 'x' }));
    const text = both(d);
    expect(text.split(d.task!.token!).length).toBe(2);
    expect(JSON.parse(text)).toMatchObject({ task: { token: ['token'] } });
    expect(JSON.parse(text).task).not.toHaveProperty('requestId');
    // A top-level frame leaves out its parent and index too.
    expect(JSON.parse(text)).not.toHaveProperty('parent');
    expect(JSON.parse(text)).not.toHaveProperty('idx');
    expect(parseFrame(text)).toEqual(d);
  });

  test('finds the token anywhere in the payload, or in the input the payload is, and writes it out where it is not there', () => {
    const cases: [FrameData, boolean][] = [
      [waitingOn((token) => ({ a: [1, { b: ['x', token] }], c: token.slice(1) })), true],
      [waitingOn((token) => token), true],
      [waitingOn((token) => ({ 'we"ird\\tkey\u2028': token })), true],
      [waitingOn((token) => ({ t: `${token} ` })), false],
      [waitingOn(() => 12), false],
    ];
    // A direct call's payload is the frame's input (stored once, as the input).
    const direct = waitingOn(() => null);
    direct.input = { tok: direct.task!.token! };
    direct.task!.call.payload = direct.input;
    cases.push([direct, true]);
    for (const [d, found] of cases) {
      const text = both(d);
      expect(Array.isArray(JSON.parse(text).task.token)).toBe(found);
      // Written out besides the payload's copies only where none of them is the token itself.
      const copies = (json: string) => json.split(d.task!.token!).length - 1;
      expect(copies(text)).toBe(copies(JSON.stringify(d.task!.call.payload)) + (found ? 0 : 1));
      expect(parseFrame(text)).toEqual(d);
    }
  });

  test('keeps a request id the token does not make, and a parent or index a top-level frame would not have', () => {
    const d = waitingOn((token) => ({ token }));
    d.task!.requestId = newRequestId();
    d.idx = 2;
    const text = both(d);
    expect(JSON.parse(text).task.requestId).toBe(d.task!.requestId);
    expect(JSON.parse(text).idx).toBe(2);
    expect(parseFrame(text)).toEqual(d);
    const child = { ...waitingOn((token) => ({ token })), parent: 4 };
    expect(JSON.parse(both(child))).toMatchObject({ parent: 4, idx: 0 });
    expect(parseFrame(frameText(child))).toEqual(child);
  });

  test('its frame as schema 9 wrote it (token twice, request id, parent and index) reads as the same data', () => {
    const d = waitingOn((token) => ({ token }));
    d.task!.requestId = newRequestId();
    const v9 = JSON.stringify({ ...d, task: { ...d.task, call: { ...d.task!.call } } });
    expect(parseFrame(v9)).toEqual(d);
  });
});
