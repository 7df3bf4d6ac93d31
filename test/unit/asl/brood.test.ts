/**
 * A brood row (the children a Map or Parallel starts together) writes each
 * child after the first as its differences from the one before: it must read
 * back as exactly the children written, each with objects of its own.
 */
import { broodEntry, decodeBrood } from '../../../local/stepfunctions/brood';
import type { FrameData } from '../../../local/stepfunctions/frame';

function child(i: number, extra: Partial<FrameData> = {}): FrameData {
  return {
    id: 10 + i,
    parent: 1,
    idx: i,
    state: 'Inc',
    input: { item: i },
    phase: 'task',
    fresh: false,
    enteredTime: '2026-12-07T00:00:00.000Z',
    retryCount: 0,
    attempts: [],
    lastEventId: 100 + 3 * i,
    enteredEventId: 98 + 3 * i,
    task: {
      call: { functionName: 'inc', payload: { item: i }, kind: 'direct', waitForTaskToken: false, timeoutSeconds: null, heartbeatSeconds: null },
      resource: 'inc',
      submitted: false,
      requestId: `req-${i}`,
      timeoutAt: null,
      heartbeatAt: null,
    },
    ...extra,
  };
}

function row(children: FrameData[]): string {
  return `[${children.map((c, i) => broodEntry(c, children[i - 1])).join(',')}]`;
}

/** What JSON keeps of a frame (undefined fields are left out). */
const asStored = (children: FrameData[]) => JSON.parse(JSON.stringify(children)) as FrameData[];

test('siblings are written as their differences and read back whole', () => {
  const shared = { same: true };
  const children = [
    child(0),
    child(1, { input: shared }),
    child(2, { input: shared, enteredTime: '2026-12-07T00:00:00.001Z' }),
    child(3, { attempts: [2] }),
    child(4, { vars: { a: 1 } }),
    child(5, { phase: 'pending', fresh: true, task: undefined }),
    child(6),
  ];
  children[6].task!.call.timeoutSeconds = 30;
  const text = row(children);
  const entries = JSON.parse(text) as Record<string, unknown>[];
  // The second child carries only what differs from the first.
  expect(entries[1]).toEqual({
    id: 11,
    idx: 1,
    input: shared,
    lastEventId: 103,
    enteredEventId: 101,
    task: { call: { payload: { item: 1 } }, requestId: 'req-1' },
    '^': 1,
  });
  const alike = Array.from({ length: 10 }, (_, i) => child(i));
  expect(row(alike).length).toBeLessThan(JSON.stringify(alike).length / 2);
  expect(decodeBrood(text)).toEqual(asStored(children));
});

test('a child whose fields are not its sibling’s set, or that leaves a set field undefined, is written in full', () => {
  const children = [child(0, { output: 1 }), child(1), child(2, { enteredEventId: undefined })];
  const entries = JSON.parse(row(children)) as Record<string, unknown>[];
  expect(entries.map((e) => '^' in e)).toEqual([false, false, false]);
  expect(decodeBrood(row(children))).toEqual(asStored(children));
});

test('children read back share no task, call or attempts (each is changed in place later)', () => {
  const [a, b] = decodeBrood(row([child(0), child(1)]));
  expect(a.task).not.toBe(b.task);
  expect(a.task!.call).not.toBe(b.task!.call);
  expect(a.attempts).not.toBe(b.attempts);
});

test('a row written before this format (every child in full) reads as it is', () => {
  const children = [child(0, { output: 5 }), child(1)];
  expect(decodeBrood(JSON.stringify(children))).toEqual(asStored(children));
});
