/**
 * Durations in decision rules (`timeout: '24h'`): a number and a unit, or
 * several of them (`1h30m`). Units: s, m, h, d, w.
 */
import { InvalidDurationError } from './errors';

/** Default time approvers have when a rule gives no `timeout`. */
export const DEFAULT_APPROVAL_TIMEOUT = '24h';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^(?:\d+[smhdw])+$/;

/**
 * Parses a duration into seconds.
 *
 * @example parseDuration('24h') // 86400
 * @throws InvalidDurationError for anything else, or zero
 */
export function parseDuration(value: string): number {
  const text = value.trim();
  if (!DURATION.test(text)) throw new InvalidDurationError(value);
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  if (seconds <= 0 || !Number.isSafeInteger(seconds)) throw new InvalidDurationError(value);
  return seconds;
}

/** True when `value` parses as a duration. */
export function isDuration(value: string): boolean {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

/** Seconds as the shortest exact duration string (`86400` → `1d`), for messages. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const size = UNIT_SECONDS[unit];
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}
