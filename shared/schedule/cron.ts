/**
 * Parses the six fields of an AWS cron expression, following the EventBridge
 * documentation: minutes 0-59, hours 0-23, day-of-month 1-31 (`? L W`),
 * month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT (`? L #`), year
 * 1970-2199; `, - * /` everywhere. Exactly one of day-of-month and
 * day-of-week must be `?`.
 */
import { ScheduleExpressionError } from './errors';
import type { CronSchedule, DayOfMonthRule, DayOfWeekRule } from './types';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTH_NAMES };
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES };
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2199 };

type Fail = (reason: string) => never;

function parseValue(text: string, spec: FieldSpec, fail: Fail): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) {
    const allowed = spec.names ? `${spec.min}-${spec.max} or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : `${spec.min}-${spec.max}`;
    fail(`${spec.name} value "${text}" is not a number (allowed: ${allowed})`);
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) fail(`${spec.name} value ${value} is out of range ${spec.min}-${spec.max}`);
  return value;
}

/** One comma-separated part: `*`, `a`, `a-b`, each optionally `/step`. */
function parsePart(part: string, spec: FieldSpec, fail: Fail): number[] {
  const [range, stepText, extra] = part.split('/');
  if (extra !== undefined) fail(`${spec.name} part "${part}" has more than one "/"`);
  let from: number;
  let to: number;
  if (range === '*') {
    from = spec.min;
    to = spec.max;
  } else if (range.includes('-')) {
    const bounds = range.split('-');
    if (bounds.length !== 2 || !bounds[0] || !bounds[1]) fail(`${spec.name} range "${range}" must look like a-b`);
    from = parseValue(bounds[0], spec, fail);
    to = parseValue(bounds[1], spec, fail);
    if (from > to) fail(`${spec.name} range "${range}" runs backwards`);
  } else {
    if (!range) fail(`${spec.name} has an empty part in "${part}"`);
    from = parseValue(range, spec, fail);
    // `a/step` means from a to the end of the field.
    to = stepText === undefined ? from : spec.max;
  }
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) fail(`${spec.name} step "${stepText}" must be a positive integer`);
    step = Number(stepText);
  }
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

function parseList(field: string, spec: FieldSpec, fail: Fail): number[] {
  if (field === '?') fail(`"?" is only allowed in day-of-month or day-of-week, not in ${spec.name}`);
  const set = new Set<number>();
  for (const part of field.split(',')) for (const v of parsePart(part, spec, fail)) set.add(v);
  return [...set].sort((a, b) => a - b);
}

function parseDayOfMonth(field: string, fail: Fail): DayOfMonthRule {
  const upper = field.toUpperCase();
  if (upper === '?') return { kind: 'any' };
  if (upper === 'L') return { kind: 'last' };
  if (upper === 'LW') return { kind: 'lastWeekday' };
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) return { kind: 'nearestWeekday', day: parseValue(weekday[1], DAY_OF_MONTH, fail) };
  if (/[LW]/.test(upper)) fail(`day-of-month "${field}": L and W stand alone ("L", "LW", "15W"), not in lists or ranges`);
  return { kind: 'days', days: parseList(field, DAY_OF_MONTH, fail) };
}

function parseDayOfWeek(field: string, fail: Fail): DayOfWeekRule {
  const upper = field.toUpperCase();
  if (upper === '?') return { kind: 'any' };
  // "L" alone is the last day of the week: Saturday.
  if (upper === 'L') return { kind: 'days', days: [7] };
  const last = /^([A-Z]+|\d+)L$/.exec(upper);
  if (last) return { kind: 'last', day: parseValue(last[1], DAY_OF_WEEK, fail) };
  const nth = /^([A-Z]+|\d+)#(\d+)$/.exec(upper);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) fail(`day-of-week "${field}": the n in d#n must be 1-5`);
    return { kind: 'nth', day: parseValue(nth[1], DAY_OF_WEEK, fail), n };
  }
  if (upper.includes('#') || /\dL|L\d/.test(upper)) fail(`day-of-week "${field}": L and # stand alone ("6L", "3#2"), not in lists or ranges`);
  return { kind: 'days', days: parseList(field, DAY_OF_WEEK, fail) };
}

/** Parses the inside of `cron(...)`. */
export function parseCronFields(body: string, expression: string): CronSchedule {
  const fail: Fail = (reason) => {
    throw new ScheduleExpressionError(expression, reason);
  };
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6 || fields[0] === '') {
    fail(`cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields[0] === '' ? 0 : fields.length}`);
  }
  const [min, hour, dom, month, dow, year] = fields;
  if ((dom === '?') === (dow === '?')) {
    fail('exactly one of day-of-month and day-of-week must be "?" (e.g. "cron(0 12 * * ? *)" or "cron(0 12 ? * MON-FRI *)")');
  }
  return {
    kind: 'cron',
    expression,
    minutes: parseList(min, MINUTES, fail),
    hours: parseList(hour, HOURS, fail),
    dayOfMonth: parseDayOfMonth(dom, fail),
    months: parseList(month, MONTH, fail),
    dayOfWeek: parseDayOfWeek(dow, fail),
    years: parseList(year, YEAR, fail),
  };
}
