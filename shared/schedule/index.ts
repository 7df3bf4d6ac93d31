/** AWS schedule expressions: parse them and compute when they fire. */
export { parseScheduleExpression } from './parse';
export { nextFireTime } from './next-fire-time';
export { ScheduleExpressionError, ScheduleTimeZoneError } from './errors';
export type { ScheduleExpression, RateSchedule, CronSchedule, AtSchedule, RateUnit, DayOfMonthRule, DayOfWeekRule } from './types';
