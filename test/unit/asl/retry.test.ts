import { StatesTimeoutError, TaskError } from '../../../local/asl/errors';
import { recoverFromError } from '../../../local/asl/executor';
import { decideRetry, errorMatches } from '../../../local/asl/retry';

test('States.ALL matches everything but terminal errors; States.TaskFailed excludes States.Timeout', () => {
  expect(errorMatches(['States.ALL'], 'Anything')).toBe(true);
  expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
  expect(errorMatches(['States.TaskFailed'], 'Custom')).toBe(true);
  expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
  expect(errorMatches(['States.Timeout'], 'States.Timeout')).toBe(true);
});

test('backoff: IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, FULL jitter scales it', () => {
  const retriers = [{ ErrorEquals: ['E'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 10 }];
  expect([0, 1, 2].map((n) => decideRetry(retriers, 'E', [n]))).toEqual([
    { retry: true, retrierIndex: 0, delayMs: 2000 },
    { retry: true, retrierIndex: 0, delayMs: 6000 },
    { retry: true, retrierIndex: 0, delayMs: 10000 },
  ]);
  expect(decideRetry(retriers, 'E', [4])).toEqual({ retry: false });
  expect(decideRetry([{ ErrorEquals: ['E'], JitterStrategy: 'FULL' }], 'E', [1], () => 0.25)).toEqual({ retry: true, retrierIndex: 0, delayMs: 500 });
  // Defaults: 1 s, rate 2, 3 attempts.
  expect(decideRetry([{ ErrorEquals: ['E'] }], 'E', [2])).toEqual({ retry: true, retrierIndex: 0, delayMs: 4000 });
  expect(decideRetry([{ ErrorEquals: ['E'] }], 'E', [3])).toEqual({ retry: false });
});

test('the first matching retrier decides even when exhausted (later ones are not consulted)', () => {
  const retriers = [
    { ErrorEquals: ['E'], MaxAttempts: 1 },
    { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
  ];
  expect(decideRetry(retriers, 'E', [1, 0])).toEqual({ retry: false });
  expect(decideRetry(retriers, 'Other', [1, 0])).toMatchObject({ retry: true, retrierIndex: 1 });
});

test('Catch puts {Error, Cause} at ResultPath of the raw input', () => {
  const state = {
    Type: 'Task' as const,
    Catch: [
      { ErrorEquals: ['States.Timeout'], Next: 'T' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'A' },
    ],
  };
  expect(recoverFromError(state, { a: 1 }, new TaskError('Biz', 'why'), [])).toEqual({
    kind: 'catch',
    next: 'A',
    output: { a: 1, err: { Error: 'Biz', Cause: 'why' } },
    catcherIndex: 1,
  });
  expect(recoverFromError(state, { a: 1 }, new StatesTimeoutError('late'), [])).toEqual({
    kind: 'catch',
    next: 'T',
    output: { Error: 'States.Timeout', Cause: 'late' },
    catcherIndex: 0,
  });
  expect(recoverFromError({ Type: 'Task' }, {}, new TaskError('X', ''), [])).toMatchObject({ kind: 'fail' });
});
