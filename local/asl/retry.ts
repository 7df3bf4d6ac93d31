/**
 * Retry and Catch: which retrier or catcher matches an error, and how long to
 * wait before the next attempt.
 */
import { TERMINAL_ERRORS } from './errors';
import type { Catcher, Retrier } from './types';

/** ErrorEquals matching with the States.ALL and States.TaskFailed wildcards. */
export function errorMatches(errorEquals: string[], errorName: string): boolean {
  if (TERMINAL_ERRORS.has(errorName)) return false;
  return errorEquals.some((name) => {
    if (name === errorName || name === 'States.ALL') return true;
    // AWS: States.TaskFailed matches any known error except States.Timeout.
    return name === 'States.TaskFailed' && errorName !== 'States.Timeout';
  });
}

export type RetryDecision = { retry: true; retrierIndex: number; delayMs: number } | { retry: false };

/**
 * Decides whether to retry. `attempts[i]` counts retries already made by
 * retrier i; the caller increments it when retrying.
 */
export function decideRetry(retriers: Retrier[] | undefined, errorName: string, attempts: number[], random: () => number = Math.random): RetryDecision {
  if (!retriers) return { retry: false };
  const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, errorName));
  if (index < 0) return { retry: false };
  const r = retriers[index];
  const made = attempts[index] ?? 0;
  if (made >= (r.MaxAttempts ?? 3)) return { retry: false };
  let delay = (r.IntervalSeconds ?? 1) * Math.pow(r.BackoffRate ?? 2, made);
  if (r.MaxDelaySeconds !== undefined) delay = Math.min(delay, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') delay = random() * delay;
  return { retry: true, retrierIndex: index, delayMs: Math.round(delay * 1000) };
}

/** The first catcher whose ErrorEquals matches, if any. */
export function findCatcher(catchers: Catcher[] | undefined, errorName: string): Catcher | undefined {
  return catchers?.find((c) => errorMatches(c.ErrorEquals, errorName));
}
