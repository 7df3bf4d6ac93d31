/**
 * Every agent step retries the model's transient failures by default:
 * Bedrock throttling and unavailability (timeouts, 5xx, a model not ready)
 * pass in seconds to minutes, and a run should not fail on one. A workflow
 * overrides per step with `retry`: its rules win for the errors they name,
 * the default still covers the model errors they leave out, and `retry: []`
 * turns retries off.
 */
import type { RetryRule } from '../definition/workflow';

export const MODEL_ERRORS = ['Agent.ModelThrottled', 'Agent.ModelUnavailable'] as const;

/** Up to 5 attempts over about 2.5 minutes (5 s, 10 s, 20 s, 40 s, capped at 60 s, with jitter from Step Functions). */
export const DEFAULT_MODEL_RETRY: RetryRule = { errors: MODEL_ERRORS, maxAttempts: 4, intervalSeconds: 5, backoffRate: 2, maxDelaySeconds: 60 };

/**
 * The Retry rules of an agent step's model call.
 *
 * @example agentStepRetries([{ errors: ['Agent.ModelThrottled'], maxAttempts: 3 }])
 * // → that rule, then the default for Agent.ModelUnavailable
 */
export function agentStepRetries(retry: readonly RetryRule[] | undefined): RetryRule[] {
  if (retry === undefined) return [DEFAULT_MODEL_RETRY];
  if (retry.length === 0) return [];
  const covered = new Set(retry.flatMap((r) => r.errors ?? ['States.ALL']));
  if (covered.has('States.ALL')) return [...retry];
  const left = MODEL_ERRORS.filter((e) => !covered.has(e));
  return left.length ? [...retry, { ...DEFAULT_MODEL_RETRY, errors: left }] : [...retry];
}
