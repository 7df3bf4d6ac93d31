/** A step's own Retry and Catch, for the kinds that are not a single Lambda task. */
import type { RetryRule } from '../../definition/workflow';
import { userRetries } from '../lambda-task';

export function recovery(retry: readonly RetryRule[] | undefined, catches: Record<string, unknown>[]): Record<string, unknown> {
  return { ...(retry ? { Retry: userRetries(retry) } : {}), ...(catches.length ? { Catch: catches } : {}) };
}
