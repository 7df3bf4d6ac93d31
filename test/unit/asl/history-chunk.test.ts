import { ChunkWriter, decodeChunk, encodeChunk, scheduledDetails, scheduledInvokeDetails } from '../../../local/stepfunctions/history-chunk';
import { ELIDED_STARTED, expandStarted } from '../../../local/stepfunctions/row-compaction';
import type { StoredEvent } from '../../../local/stepfunctions/store';

test('history chunks round-trip, including awkward state names and shared payloads', () => {
  const input = { text: 'tab\there\nnewline', n: [1, 2] };
  const events: StoredEvent[] = [
    [1, 1000, 'ExecutionStarted', 0, { input: '{}', roleArn: 'r' }, null, null],
    [2, 1001, 'PassStateEntered', 1, 'name\twith tab', 'input', input],
    [3, 1002, 'PassStateExited', 2, 'name\twith tab', '^output', null],
    [4, 1003, 'ParallelStateStarted', 3, null, null, null],
    [5, 1004, 'ExecutionSucceeded', 4, { outputDetails: { truncated: false } }, 'output', 'done'],
  ];
  expect(decodeChunk(encodeChunk(events))).toEqual([
    events[0],
    events[1],
    [3, 1002, 'PassStateExited', 2, 'name\twith tab', 'output', input],
    events[3],
    events[4],
  ]);
});

test('a state event repeating the previous payload is one short line; chunks written with every field still decode', () => {
  const payload = { x: 1 };
  const text = encodeChunk([
    [7, 5000, 'PassStateEntered', 6, 'S1', 'input', payload],
    [8, 5000, 'PassStateExited', 7, 'S1', 'output', payload],
    [9, 5001, 'ParallelStateStarted', 8, null, null, null],
  ]);
  expect(text.split('\n')).toEqual(['7\t5000', '0\t5\t1\tsS1\ti\t{"x":1}', '0\t6\t1\tsS1\t^o', '1\t18\t1\t', '']);
  // The layout before trailing fields were left out.
  expect(decodeChunk('7\t5000\n0\t5\t1\tsS1\ti\t{"x":1}\n0\t6\t1\tsS1\t^o\t\n1\t18\t1\t\t\t\n')).toEqual([
    [7, 5000, 'PassStateEntered', 6, 'S1', 'input', payload],
    [8, 5000, 'PassStateExited', 7, 'S1', 'output', payload],
    [9, 5001, 'ParallelStateStarted', 8, null, null, null],
  ]);
});

test('a state entered with the previous output and left unchanged takes the two compact lines, and round-trips', () => {
  const p = { x: 1 };
  const events: StoredEvent[] = [
    [1, 9000, 'ExecutionStarted', 0, { input: '{}' }, 'input', p],
    [2, 9000, 'PassStateEntered', 1, 'A', 'input', p],
    [3, 9001, 'PassStateExited', 2, 'A', 'output', p],
    [4, 9001, 'TaskStateEntered', 3, 'odd\tname', 'input', p],
    [5, 9002, 'TaskStateExited', 4, 'odd\tname', 'output', p],
    // Not the exit of the state just entered: full lines.
    [6, 9002, 'ChoiceStateEntered', 5, 'C', 'input', p],
    [7, 9002, 'ChoiceStateExited', 6, 'D', 'output', p],
    [8, 9003, 'ExecutionSucceeded', 7, null, 'output', p],
  ];
  const text = encodeChunk(events);
  expect(text.split('\n').slice(2, 6)).toEqual(['0\t5sA', '1', '1\t7j"odd\\tname"', '2']);
  expect(decodeChunk(text)).toEqual(events.map((e) => (e[0] === 1 ? e : [...e.slice(0, 6), p])));
});

test('a forwarding Pass written whole by its time offset (addPass) is the same text at every offset', () => {
  const p = { x: 1 };
  for (const offset of [0, 1, 15, 16, 40, 1_000]) {
    const before: StoredEvent = [1, 100, 'ExecutionStarted', 0, { input: '{}' }, 'input', p];
    const ts = 100 + offset;
    const writer = new ChunkWriter(1, 100);
    writer.add(...before);
    writer.addPass(2, ts, 1, 'S1', p);
    writer.addPass(4, ts, 3, 'S1', p);
    expect(writer.toString()).toBe(
      encodeChunk([
        before,
        [2, ts, 'PassStateEntered', 1, 'S1', 'input', p],
        [3, ts, 'PassStateExited', 2, 'S1', 'output', p],
        [4, ts, 'PassStateEntered', 3, 'S1', 'input', p],
        [5, ts, 'PassStateExited', 4, 'S1', 'output', p],
      ]),
    );
  }
});

test('a forwarding Pass written in one call (addPass) is the same text as its two events added one by one', () => {
  const p = { x: 1 };
  // Each case: the event before the Pass, then where the Pass's entry points back to; covers the compact and the full forms.
  const cases: { before: StoredEvent; prev: number; payload: unknown; name: string }[] = [
    { before: [1, 100, 'ExecutionStarted', 0, { input: '{}' }, 'input', p], prev: 1, payload: p, name: 'A' },
    { before: [1, 100, 'ExecutionStarted', 0, { input: '{}' }, 'input', p], prev: 1, payload: { x: 1 }, name: 'A' },
    { before: [1, 100, 'ExecutionStarted', 0, { input: '{}' }, 'input', 7], prev: 1, payload: 7, name: 'B' },
    { before: [1, 100, 'MapIterationStarted', 0, null, null, null], prev: 0, payload: p, name: 'odd\tname' },
    { before: [1, 100, 'PassStateExited', 0, 'Z', 'output', p], prev: 1, payload: p, name: 'odd\tname' },
  ];
  for (const { before, prev, payload, name } of cases) {
    const oneByOne = encodeChunk([before, [2, 103, 'PassStateEntered', prev, name, 'input', payload], [3, 103, 'PassStateExited', 2, name, 'output', payload]]);
    const writer = new ChunkWriter(1, 100);
    writer.add(...before);
    writer.addPass(2, 103, prev, name, payload);
    expect(writer.toString()).toBe(oneByOne);
    expect(writer.last).toBe(3);
    // What follows the Pass is written as it would be after the two events.
    writer.add(4, 104, 'PassStateEntered', 3, 'Next', 'input', payload);
    expect(writer.toString()).toBe(
      encodeChunk([
        before,
        [2, 103, 'PassStateEntered', prev, name, 'input', payload],
        [3, 103, 'PassStateExited', 2, name, 'output', payload],
        [4, 104, 'PassStateEntered', 3, 'Next', 'input', payload],
      ]),
    );
  }
});

test("a lambda:invoke call's TaskScheduled details are the text of its { FunctionName, Payload } parameters", () => {
  const where = '"invoke","us-east-1"';
  for (const payload of [{ token: 'AAAA', n: [1, 'two'] }, null, 7, 'text', undefined])
    for (const [timeout, heartbeat] of [
      [null, null],
      [30, null],
      [30, 10],
    ])
      expect(scheduledInvokeDetails(where, 'park', payload, timeout, heartbeat)).toEqual(
        scheduledDetails(where, { FunctionName: 'park', Payload: payload } as never, timeout, heartbeat),
      );
});

test("a first chunk's ExecutionStarted expanded in its first lines only (rewrittenHead) is the whole text expanded", () => {
  const sm = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
  const expand = (text: string) => expandStarted(text, '{"items":[1,2]}', 'arn:aws:iam::123456789012:role/r', sm);
  // 1 event, then a few more than one join holds, then many joins' worth (a Map's children).
  for (const events of [0, 30, 2_000]) {
    const writer = new ChunkWriter(1, 5000);
    writer.add(1, 5000, 'ExecutionStarted', 0, ELIDED_STARTED, null, null);
    for (let id = 2; id < events + 2; id++) writer.add(id, 5000 + id, 'TaskStateEntered', id - 1, `S${id}`, 'input', { n: id });
    const text = writer.toString();
    expect(expand(text)).not.toBe(text);
    expect(writer.rewrittenHead(expand)).toBe(expand(text));
  }
});
