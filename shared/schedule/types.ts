/**
 * A parsed AWS schedule expression (EventBridge Scheduler / scheduled rules):
 * `rate(value unit)`, `cron(min hour day-of-month month day-of-week year)` or
 * the one-time `at(yyyy-mm-ddThh:mm:ss)`. Plain data (JSON-serialisable).
 */
export type ScheduleExpression = RateSchedule | CronSchedule | AtSchedule;

export type RateUnit = 'minute' | 'hour' | 'day';

export interface RateSchedule {
  kind: 'rate';
  expression: string;
  value: number;
  unit: RateUnit;
  /** The interval in milliseconds (a day is 24 hours, as on EventBridge Scheduler). */
  intervalMs: number;
}

/** Day-of-month: `?`, a set of days, `L`, `LW` or `<n>W`. */
export type DayOfMonthRule =
  { kind: 'any' } | { kind: 'days'; days: number[] } | { kind: 'last' } | { kind: 'lastWeekday' } | { kind: 'nearestWeekday'; day: number };

/** Day-of-week (1 = SUN … 7 = SAT): `?`, a set of days, `<d>L` (last <d> of the month) or `<d>#<n>` (n-th <d>). */
export type DayOfWeekRule = { kind: 'any' } | { kind: 'days'; days: number[] } | { kind: 'last'; day: number } | { kind: 'nth'; day: number; n: number };

export interface CronSchedule {
  kind: 'cron';
  expression: string;
  minutes: number[];
  hours: number[];
  dayOfMonth: DayOfMonthRule;
  months: number[];
  dayOfWeek: DayOfWeekRule;
  years: number[];
}

export interface AtSchedule {
  kind: 'at';
  expression: string;
  /** Wall-clock date and time, evaluated in the schedule's time zone. */
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}
