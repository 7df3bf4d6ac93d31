import { parseCronFields } from './cron';
import { ScheduleExpressionError } from './errors';
import type { AtSchedule, RateSchedule, RateUnit, ScheduleExpression } from './types';

const UNIT_MS: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function parseRate(body: string, expression: string): RateSchedule {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(body);
  if (!match) throw new ScheduleExpressionError(expression, 'rate needs a value and a unit, e.g. "rate(5 minutes)"');
  const [, valueText, unitText] = match;
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    throw new ScheduleExpressionError(expression, `rate value "${valueText}" must be a positive integer`);
  }
  const value = Number(valueText);
  const unitMatch = /^(minute|hour|day)(s?)$/.exec(unitText);
  if (!unitMatch) throw new ScheduleExpressionError(expression, `rate unit "${unitText}" must be minute(s), hour(s) or day(s)`);
  const unit = unitMatch[1] as RateUnit;
  // AWS requires the singular for 1 and the plural otherwise.
  if (value === 1 && unitMatch[2]) throw new ScheduleExpressionError(expression, `use "rate(1 ${unit})" (singular unit for a value of 1)`);
  if (value !== 1 && !unitMatch[2]) throw new ScheduleExpressionError(expression, `use "rate(${value} ${unit}s)" (plural unit for a value above 1)`);
  return { kind: 'rate', expression, value, unit, intervalMs: value * UNIT_MS[unit] };
}

function parseAt(body: string, expression: string): AtSchedule {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!match) throw new ScheduleExpressionError(expression, 'at needs yyyy-mm-ddThh:mm:ss, e.g. "at(2030-01-31T09:00:00)"');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new ScheduleExpressionError(expression, `"${body.trim()}" is not a real date and time`);
  }
  return { kind: 'at', expression, year, month, day, hour, minute, second };
}

/**
 * Parses an AWS schedule expression.
 *
 * @example
 * parseScheduleExpression('rate(5 minutes)');          // { kind: 'rate', intervalMs: 300000, … }
 * parseScheduleExpression('cron(0 9 ? * MON-FRI *)');  // weekdays at 09:00
 * @throws ScheduleExpressionError (code `Schedule.InvalidExpression`) naming what is wrong.
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  if (typeof expression !== 'string') throw new ScheduleExpressionError(String(expression), 'must be a string');
  const match = /^(rate|cron|at)\((.*)\)$/s.exec(expression.trim());
  if (!match) {
    throw new ScheduleExpressionError(
      expression,
      'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)',
    );
  }
  const [, kind, body] = match;
  if (kind === 'rate') return parseRate(body, expression);
  if (kind === 'cron') return parseCronFields(body, expression);
  return parseAt(body, expression);
}
