import { decodeChunk, encodeChunk } from '../../../local/stepfunctions/history-chunk';
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
  expect(decodeChunk(encodeChunk(events))).toEqual([events[0], events[1], [3, 1002, 'PassStateExited', 2, 'name\twith tab', 'output', input], events[3], events[4]]);
});
