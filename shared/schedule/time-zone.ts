/**
 * Wall-clock time in an IANA time zone, with no dependency: Intl gives the
 * wall clock of an instant; the reverse tries the zone's offsets around it.
 * Wall-clock times are carried as "naive" milliseconds (the wall clock read as
 * if it were UTC), which makes field arithmetic plain Date.UTC.
 */
import { ScheduleTimeZoneError } from './errors';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ScheduleTimeZoneError(timeZone);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC';
}

/** Throws ScheduleTimeZoneError for a zone this runtime does not know. */
export function assertTimeZone(timeZone: string): void {
  if (!isUtc(timeZone)) formatter(timeZone);
}

/** The wall clock of `instantMs` in `timeZone`, as naive milliseconds (whole seconds). */
export function wallClock(instantMs: number, timeZone: string): number {
  const seconds = Math.floor(instantMs / 1000) * 1000;
  if (isUtc(timeZone)) return seconds;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(seconds))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/**
 * The instant at which the wall clock in `timeZone` reads `naiveMs`; the
 * earlier one when the time occurs twice (DST ends), undefined when it does
 * not occur at all (DST starts).
 */
export function instantOf(naiveMs: number, timeZone: string): number | undefined {
  if (isUtc(timeZone)) return naiveMs;
  const day = 86_400_000;
  // A zone changes offset at most once within a day either side.
  const offsets = new Set([-day, 0, day].map((d) => wallClock(naiveMs + d, timeZone) - Math.floor((naiveMs + d) / 1000) * 1000));
  const candidates = [...offsets].map((o) => naiveMs - o).filter((i) => wallClock(i, timeZone) === naiveMs);
  return candidates.length ? Math.min(...candidates) : undefined;
}
