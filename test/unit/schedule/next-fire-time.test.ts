import { nextFireTime, parseScheduleExpression } from '../../../shared/schedule';
import { isAiosError } from '../../../shared/errors';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string, tz?: string) => nextFireTime(expr, at(after), tz)?.toISOString() ?? null;

/** The first n fire times after `after`. */
function series(expr: string, after: string, n: number, tz?: string): string[] {
  const out: string[] = [];
  let t = at(after);
  for (let i = 0; i < n; i++) {
    const f = nextFireTime(expr, t, tz);
    if (!f) break;
    out.push(f.toISOString());
    t = f;
  }
  return out;
}

describe('nextFireTime: rate', () => {
  it('fires at whole multiples of the interval, strictly after the given time', () => {
    expect(next('rate(5 minutes)', '2030-01-01T10:02:30Z')).toBe('2030-01-01T10:05:00.000Z');
    expect(next('rate(5 minutes)', '2030-01-01T10:05:00Z')).toBe('2030-01-01T10:10:00.000Z');
    expect(next('rate(1 hour)', '2030-01-01T10:59:59.999Z')).toBe('2030-01-01T11:00:00.000Z');
    expect(next('rate(1 day)', '2030-03-31T10:00:00Z', 'Europe/Paris')).toBe('2030-04-01T00:00:00.000Z');
  });

  it('accepts an already parsed expression', () => {
    expect(nextFireTime(parseScheduleExpression('rate(1 minute)'), at('2030-01-01T00:00:00Z'))?.toISOString()).toBe('2030-01-01T00:01:00.000Z');
  });
});

describe('nextFireTime: cron in UTC', () => {
  it('daily, every 15 minutes, and weekdays', () => {
    expect(next('cron(0 10 * * ? *)', '2030-01-01T09:00:00Z')).toBe('2030-01-01T10:00:00.000Z');
    expect(next('cron(0 10 * * ? *)', '2030-01-01T10:00:00Z')).toBe('2030-01-02T10:00:00.000Z');
    expect(series('cron(0/15 * * * ? *)', '2030-01-01T23:31:00Z', 3)).toEqual([
      '2030-01-01T23:45:00.000Z',
      '2030-01-02T00:00:00.000Z',
      '2030-01-02T00:15:00.000Z',
    ]);
    // 2030-01-04 is a Friday.
    expect(series('cron(0 18 ? * MON-FRI *)', '2030-01-04T18:00:00Z', 2)).toEqual(['2030-01-07T18:00:00.000Z', '2030-01-08T18:00:00.000Z']);
  });

  it('last day of month, across February of a leap year', () => {
    expect(series('cron(0 0 L * ? *)', '2028-01-31T00:00:00Z', 3)).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2028-03-31T00:00:00.000Z',
      '2028-04-30T00:00:00.000Z',
    ]);
  });

  it('nearest weekday (W), never crossing the month, and last weekday (LW)', () => {
    // 2030-06-01 is a Saturday: 1W is Monday the 3rd, not Friday May 31.
    expect(next('cron(0 9 1W * ? *)', '2030-05-15T00:00:00Z')).toBe('2030-06-03T09:00:00.000Z');
    // 2030-06-15 is a Saturday: 15W is Friday the 14th.
    expect(next('cron(0 9 15W * ? *)', '2030-06-01T00:00:00Z')).toBe('2030-06-14T09:00:00.000Z');
    // 2030-06-16 is a Sunday: 16W is Monday the 17th.
    expect(next('cron(0 9 16W * ? *)', '2030-06-01T00:00:00Z')).toBe('2030-06-17T09:00:00.000Z');
    // 2030-06-30 is a Sunday: the last weekday of June is Friday the 28th.
    expect(next('cron(0 9 LW * ? *)', '2030-06-01T00:00:00Z')).toBe('2030-06-28T09:00:00.000Z');
    // 31W in a 30-day month does not fire.
    expect(next('cron(0 9 31W * ? *)', '2030-06-01T00:00:00Z')).toBe('2030-07-31T09:00:00.000Z');
  });

  it('n-th and last weekday of the month (# and L)', () => {
    // Second Tuesday of January 2030: the 8th; of February: the 12th.
    expect(series('cron(0 9 ? * 3#2 *)', '2030-01-01T00:00:00Z', 2)).toEqual(['2030-01-08T09:00:00.000Z', '2030-02-12T09:00:00.000Z']);
    // Last Friday of January 2030: the 25th.
    expect(next('cron(0 9 ? * 6L *)', '2030-01-01T00:00:00Z')).toBe('2030-01-25T09:00:00.000Z');
    // Fifth Monday: skips months that have only four.
    expect(next('cron(0 9 ? * MON#5 *)', '2030-01-01T00:00:00Z')).toBe('2030-04-29T09:00:00.000Z');
  });

  it('years and impossible dates', () => {
    expect(next('cron(0 0 1 1 ? 2031)', '2030-06-01T00:00:00Z')).toBe('2031-01-01T00:00:00.000Z');
    expect(next('cron(0 0 1 1 ? 2031)', '2031-01-01T00:00:00Z')).toBeNull();
    expect(next('cron(0 0 29 2 ? *)', '2029-03-01T00:00:00Z')).toBe('2032-02-29T00:00:00.000Z');
    expect(next('cron(0 0 31 2 ? *)', '2030-01-01T00:00:00Z')).toBeNull();
  });
});

describe('nextFireTime: cron in a time zone', () => {
  it('evaluates wall-clock fields in the zone', () => {
    // 09:00 in Paris in winter (UTC+1) and summer (UTC+2).
    expect(next('cron(0 9 * * ? *)', '2030-01-10T00:00:00Z', 'Europe/Paris')).toBe('2030-01-10T08:00:00.000Z');
    expect(next('cron(0 9 * * ? *)', '2030-07-10T00:00:00Z', 'Europe/Paris')).toBe('2030-07-10T07:00:00.000Z');
    // Day boundaries come from the zone too: Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    expect(next('cron(0 8 ? * MON *)', '2030-01-01T00:00:00Z', 'Asia/Tokyo')).toBe('2030-01-06T23:00:00.000Z');
  });

  it('skips a time that DST removes and fires once for a time it repeats', () => {
    // New York springs forward on 2030-03-10 at 02:00 → 03:00: 02:30 does not exist that day.
    expect(series('cron(30 2 * * ? *)', '2030-03-09T00:00:00Z', 2, 'America/New_York')).toEqual(['2030-03-09T07:30:00.000Z', '2030-03-11T06:30:00.000Z']);
    // Falls back on 2030-11-03 at 02:00 → 01:00: 01:30 happens twice, fires once (the first).
    expect(series('cron(30 1 * * ? *)', '2030-11-02T12:00:00Z', 2, 'America/New_York')).toEqual(['2030-11-03T05:30:00.000Z', '2030-11-04T06:30:00.000Z']);
  });

  it('rejects an unknown time zone with a typed error', () => {
    expect(() => nextFireTime('rate(1 day)', new Date(), 'Mars/Olympus')).toThrow(expect.objectContaining({ code: 'Schedule.InvalidTimeZone' }));
  });
});

describe('nextFireTime: at', () => {
  it('fires once, in the zone', () => {
    expect(next('at(2030-01-31T09:00:00)', '2030-01-01T00:00:00Z')).toBe('2030-01-31T09:00:00.000Z');
    expect(next('at(2030-01-31T09:00:00)', '2030-01-01T00:00:00Z', 'America/New_York')).toBe('2030-01-31T14:00:00.000Z');
    expect(next('at(2030-01-31T09:00:00)', '2030-01-31T09:00:00Z')).toBeNull();
  });

  it('throws the parse error for a bad expression', () => {
    try {
      nextFireTime('cron(bad)', new Date());
      throw new Error('accepted');
    } catch (error) {
      expect(isAiosError(error, 'Schedule.InvalidExpression')).toBe(true);
    }
  });
});
