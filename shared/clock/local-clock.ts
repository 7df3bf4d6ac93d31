/**
 * The local clock: a start instant that moves forward with real time, so a
 * business can try Monday's rules on a Sunday. Local only: AWS runs on the
 * real clock. `AIOS_CLOCK=2026-12-07T10:00:00-06:00` sets it for `npm start`
 * and `aios test`; a scenario's `clock` sets it for one scenario.
 */
import { AiosError } from '../errors';

export type Clock = () => Date;

export class InvalidClockError extends AiosError {
  constructor(value: string) {
    super('Clock.Invalid', `AIOS_CLOCK "${value}" is not an ISO 8601 instant with an offset (e.g. 2026-12-07T10:00:00-06:00)`, { value });
  }
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A clock that reads `start` now and moves forward as `realNow` does.
 * @example const now = clockFrom('2026-12-07T10:00:00-06:00'); now().toISOString()
 */
export function clockFrom(start: string, realNow: () => number = Date.now): Clock {
  if (!ISO_WITH_OFFSET.test(start) || Number.isNaN(Date.parse(start))) throw new InvalidClockError(start);
  const offset = Date.parse(start) - realNow();
  return () => new Date(realNow() + offset);
}

/** AIOS_CLOCK when set, else the real clock. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env, realNow: () => number = Date.now): Clock {
  const value = env.AIOS_CLOCK?.trim();
  return value ? clockFrom(value, realNow) : () => new Date(realNow());
}
