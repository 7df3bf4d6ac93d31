import { instantOf, wallClock, assertTimeZone } from './time-zone';
import { parseScheduleExpression } from './parse';
import type { AtSchedule, CronSchedule, DayOfMonthRule, DayOfWeekRule, ScheduleExpression } from './types';

const MINUTE = 60_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as in AWS cron. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWorkday(dow: number): boolean {
  return dow >= 2 && dow <= 6;
}

/** The weekday nearest `target` within the month (never crossing into another month). */
function nearestWeekday(year: number, month: number, target: number): number | undefined {
  const last = daysInMonth(year, month);
  if (target > last) return undefined;
  const dow = weekday(year, month, target);
  if (isWorkday(dow)) return target;
  if (dow === 7) return target > 1 ? target - 1 : target + 2; // Saturday: Friday, or Monday when the 1st
  return target < last ? target + 1 : target - 2; // Sunday: Monday, or Friday when the last day
}

function lastWeekday(year: number, month: number): number {
  let day = daysInMonth(year, month);
  while (!isWorkday(weekday(year, month, day))) day--;
  return day;
}

function dayOfMonthMatches(rule: DayOfMonthRule, year: number, month: number, day: number): boolean {
  switch (rule.kind) {
    case 'any':
      return true;
    case 'days':
      return rule.days.includes(day);
    case 'last':
      return day === daysInMonth(year, month);
    case 'lastWeekday':
      return day === lastWeekday(year, month);
    case 'nearestWeekday':
      return day === nearestWeekday(year, month, rule.day);
  }
}

function dayOfWeekMatches(rule: DayOfWeekRule, year: number, month: number, day: number): boolean {
  const dow = weekday(year, month, day);
  switch (rule.kind) {
    case 'any':
      return true;
    case 'days':
      return rule.days.includes(dow);
    case 'last':
      return dow === rule.day && day + 7 > daysInMonth(year, month);
    case 'nth':
      return dow === rule.day && Math.ceil(day / 7) === rule.n;
  }
}

function nextCron(cron: CronSchedule, afterMs: number, timeZone: string): number | undefined {
  const years = new Set(cron.years);
  const months = new Set(cron.months);
  const hours = new Set(cron.hours);
  const minutes = new Set(cron.minutes);
  const lastYear = cron.years[cron.years.length - 1];
  let t = Math.floor(wallClock(afterMs, timeZone) / MINUTE) * MINUTE + MINUTE;
  // Each step advances at least a minute and skips whole units that cannot
  // match, so this bound (a few hundred years of days) is never the limit in practice.
  for (let guard = 0; guard < 2_000_000; guard++) {
    const d = new Date(t);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const hour = d.getUTCHours();
    if (year > lastYear) return undefined;
    if (!years.has(year)) {
      t = Date.UTC(year + 1, 0, 1);
    } else if (!months.has(month)) {
      t = Date.UTC(year, month, 1);
    } else if (!dayOfMonthMatches(cron.dayOfMonth, year, month, day) || !dayOfWeekMatches(cron.dayOfWeek, year, month, day)) {
      t = Date.UTC(year, month - 1, day + 1);
    } else if (!hours.has(hour)) {
      t = Date.UTC(year, month - 1, day, hour + 1);
    } else if (!minutes.has(d.getUTCMinutes())) {
      t += MINUTE;
    } else {
      // A wall-clock time skipped by a DST change does not fire; one that
      // occurs twice fires once (EventBridge Scheduler behaves the same).
      const instant = instantOf(t, timeZone);
      if (instant !== undefined && instant > afterMs) return instant;
      t += MINUTE;
    }
  }
  return undefined;
}

function atInstant(at: AtSchedule, timeZone: string): number {
  const naive = Date.UTC(at.year, at.month - 1, at.day, at.hour, at.minute, at.second);
  // A time inside a DST gap is taken one hour later, when the clock reads it again.
  return instantOf(naive, timeZone) ?? (instantOf(naive + 3_600_000, timeZone) as number) - 3_600_000;
}

/**
 * The first time strictly after `after` at which `expression` fires, or null
 * when it never fires again (a past `at(...)`, a cron whose years are over).
 *
 * - `cron` and `at` are evaluated in `timeZone` (IANA name, default UTC);
 * - `rate` fires at whole multiples of its interval since the Unix epoch, so
 *   slots are the same on every machine and across restarts (the time zone
 *   does not matter: a day is 24 hours).
 *
 * @example
 * nextFireTime('cron(0 9 ? * MON-FRI *)', new Date('2030-01-05T12:00:00Z'), 'Europe/Paris'); // Mon 2030-01-07T08:00Z
 */
export function nextFireTime(expression: string | ScheduleExpression, after: Date, timeZone = 'UTC'): Date | null {
  const parsed = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  assertTimeZone(timeZone);
  const afterMs = after.getTime();
  switch (parsed.kind) {
    case 'rate':
      return new Date((Math.floor(afterMs / parsed.intervalMs) + 1) * parsed.intervalMs);
    case 'at': {
      const at = atInstant(parsed, timeZone);
      return at > afterMs ? new Date(at) : null;
    }
    case 'cron': {
      const next = nextCron(parsed, afterMs, timeZone);
      return next === undefined ? null : new Date(next);
    }
  }
}
