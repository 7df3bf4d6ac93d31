import { parseScheduleExpression, ScheduleExpressionError } from '../../../shared/schedule';
import { isAiosError } from '../../../shared/errors';

function reason(expression: string): string {
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    expect(isAiosError(error, 'Schedule.InvalidExpression')).toBe(true);
    expect(error).toBeInstanceOf(ScheduleExpressionError);
    return (error as Error).message;
  }
  throw new Error(`"${expression}" was accepted`);
}

describe('parseScheduleExpression: rate', () => {
  it.each([
    ['rate(1 minute)', 'minute', 60_000],
    ['rate(5 minutes)', 'minute', 300_000],
    ['rate(1 hour)', 'hour', 3_600_000],
    ['rate(12 hours)', 'hour', 43_200_000],
    ['rate(1 day)', 'day', 86_400_000],
    ['rate(7 days)', 'day', 604_800_000],
  ])('%s', (expression, unit, intervalMs) => {
    expect(parseScheduleExpression(expression)).toMatchObject({ kind: 'rate', unit, intervalMs, expression });
  });

  it.each([
    ['rate(0 minutes)', 'positive integer'],
    ['rate(-5 minutes)', 'positive integer'],
    ['rate(1.5 hours)', 'positive integer'],
    ['rate(5 weeks)', 'minute(s), hour(s) or day(s)'],
    ['rate(5)', 'value and a unit'],
    ['rate(1 minutes)', 'singular'],
    ['rate(5 minute)', 'plural'],
    ['rate(5 Minutes)', 'unit'],
  ])('rejects %s', (expression, message) => {
    expect(reason(expression)).toContain(message);
  });
});

describe('parseScheduleExpression: cron', () => {
  it('parses the AWS documentation examples', () => {
    expect(parseScheduleExpression('cron(0 10 * * ? *)')).toMatchObject({
      kind: 'cron',
      minutes: [0],
      hours: [10],
      dayOfMonth: { kind: 'days' },
      dayOfWeek: { kind: 'any' },
    });
    expect(parseScheduleExpression('cron(15 12 * * ? *)')).toMatchObject({ minutes: [15], hours: [12] });
    expect(parseScheduleExpression('cron(0 18 ? * MON-FRI *)')).toMatchObject({
      hours: [18],
      dayOfMonth: { kind: 'any' },
      dayOfWeek: { kind: 'days', days: [2, 3, 4, 5, 6] },
    });
    expect(parseScheduleExpression('cron(0 8 1 * ? *)')).toMatchObject({ dayOfMonth: { kind: 'days', days: [1] } });
    expect(parseScheduleExpression('cron(0/15 * * * ? *)')).toMatchObject({ minutes: [0, 15, 30, 45], hours: Array.from({ length: 24 }, (_, i) => i) });
    expect(parseScheduleExpression('cron(0/10 * ? * MON-FRI *)')).toMatchObject({ minutes: [0, 10, 20, 30, 40, 50] });
    expect(parseScheduleExpression('cron(0/5 8-17 ? * MON-FRI *)')).toMatchObject({ hours: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17] });
    expect(parseScheduleExpression('cron(0 9 ? * 2#1 *)')).toMatchObject({ dayOfWeek: { kind: 'nth', day: 2, n: 1 } });
  });

  it('supports lists, ranges, steps, names and the special characters', () => {
    expect(parseScheduleExpression('cron(1,5,10-12 */6 ? JAN,jun-AUG SUN,SAT 2030-2032)')).toMatchObject({
      minutes: [1, 5, 10, 11, 12],
      hours: [0, 6, 12, 18],
      months: [1, 6, 7, 8],
      dayOfWeek: { kind: 'days', days: [1, 7] },
      years: [2030, 2031, 2032],
    });
    expect(parseScheduleExpression('cron(0 0 1-31/10 * ? *)')).toMatchObject({ dayOfMonth: { kind: 'days', days: [1, 11, 21, 31] } });
    expect(parseScheduleExpression('cron(0 0 L * ? *)')).toMatchObject({ dayOfMonth: { kind: 'last' } });
    expect(parseScheduleExpression('cron(0 0 LW * ? *)')).toMatchObject({ dayOfMonth: { kind: 'lastWeekday' } });
    expect(parseScheduleExpression('cron(0 0 15W * ? *)')).toMatchObject({ dayOfMonth: { kind: 'nearestWeekday', day: 15 } });
    expect(parseScheduleExpression('cron(0 0 ? * 6L *)')).toMatchObject({ dayOfWeek: { kind: 'last', day: 6 } });
    expect(parseScheduleExpression('cron(0 0 ? * FRIL *)')).toMatchObject({ dayOfWeek: { kind: 'last', day: 6 } });
    expect(parseScheduleExpression('cron(0 0 ? * L *)')).toMatchObject({ dayOfWeek: { kind: 'days', days: [7] } });
    expect(parseScheduleExpression('cron(0 0 ? * TUE#3 *)')).toMatchObject({ dayOfWeek: { kind: 'nth', day: 3, n: 3 } });
    expect(parseScheduleExpression('cron(30 6 ? * * *)')).toMatchObject({ dayOfWeek: { kind: 'days', days: [1, 2, 3, 4, 5, 6, 7] } });
    expect(parseScheduleExpression(' cron( 0  12  *  *  ?  * ) ')).toMatchObject({ minutes: [0], hours: [12] });
  });

  it.each([
    ['cron(0 12 * * *)', 'needs 6 fields'],
    ['cron(0 12 * * ? * *)', 'needs 6 fields'],
    ['cron()', 'needs 6 fields'],
    ['cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week'],
    ['cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week'],
    ['cron(60 12 * * ? *)', 'minutes value 60 is out of range 0-59'],
    ['cron(0 24 * * ? *)', 'hours value 24 is out of range 0-23'],
    ['cron(0 12 0 * ? *)', 'day-of-month value 0 is out of range 1-31'],
    ['cron(0 12 * 13 ? *)', 'month value 13 is out of range 1-12'],
    ['cron(0 12 ? * 8 *)', 'day-of-week value 8 is out of range 1-7'],
    ['cron(0 12 * * ? 1969)', 'year value 1969 is out of range 1970-2199'],
    ['cron(0 12 * FOO ? *)', 'month value "FOO" is not a number (allowed: 1-12 or JAN-DEC)'],
    ['cron(0 12 ? * MON-FOO *)', 'day-of-week value "FOO"'],
    ['cron(10-5 12 * * ? *)', 'runs backwards'],
    ['cron(0/0 12 * * ? *)', 'step "0" must be a positive integer'],
    ['cron(0/x 12 * * ? *)', 'step "x"'],
    ['cron(0 1/2/3 * * ? *)', 'more than one "/"'],
    ['cron(0 1, * * ? *)', 'empty part'],
    ['cron(? 12 * * ? *)', '"?" is only allowed in day-of-month or day-of-week'],
    ['cron(0 12 1,L * ? *)', 'L and W stand alone'],
    ['cron(0 12 ? * 2#6 *)', 'must be 1-5'],
    ['cron(0 12 ? * 1-2#1 *)', 'L and # stand alone'],
  ])('rejects %s', (expression, message) => {
    expect(reason(expression)).toContain(message);
  });
});

describe('parseScheduleExpression: at and the rest', () => {
  it('parses one-time at(...) expressions', () => {
    expect(parseScheduleExpression('at(2030-02-28T09:30:00)')).toMatchObject({ kind: 'at', year: 2030, month: 2, day: 28, hour: 9, minute: 30, second: 0 });
  });

  it.each([
    ['at(2030-02-30T09:30:00)', 'not a real date'],
    ['at(2030-02-28 09:30)', 'yyyy-mm-ddThh:mm:ss'],
    ['every 5 minutes', 'expected rate(value unit)'],
    ['', 'expected rate(value unit)'],
    ['Rate(5 minutes)', 'expected rate(value unit)'],
  ])('rejects %s', (expression, message) => {
    expect(reason(expression)).toContain(message);
  });

  it('names the bad expression and the reason in the message and details', () => {
    try {
      parseScheduleExpression('cron(0 25 * * ? *)');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ScheduleExpressionError);
      expect((error as ScheduleExpressionError).message).toBe('invalid schedule expression "cron(0 25 * * ? *)": hours value 25 is out of range 0-23');
      expect((error as ScheduleExpressionError).details).toEqual({ expression: 'cron(0 25 * * ? *)', reason: 'hours value 25 is out of range 0-23' });
    }
  });
});
