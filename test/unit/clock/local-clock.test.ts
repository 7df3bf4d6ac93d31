import { clockFrom, clockFromEnv, InvalidClockError } from '../../../shared/clock/local-clock';

describe('the local clock', () => {
  it('starts at the given instant and moves forward with real time', () => {
    let real = 1_000_000;
    const now = clockFrom('2026-12-07T10:00:00-06:00', () => real);
    expect(now().toISOString()).toBe('2026-12-07T16:00:00.000Z');
    real += 90_000;
    expect(now().toISOString()).toBe('2026-12-07T16:01:30.000Z');
  });

  it('AIOS_CLOCK sets it; unset is the real clock; a bad value names itself', () => {
    expect(clockFromEnv({ AIOS_CLOCK: '2026-12-07T10:00:00Z' }, () => 5)().toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(clockFromEnv({}, () => 5)().getTime()).toBe(5);
    expect(() => clockFromEnv({ AIOS_CLOCK: 'monday' })).toThrow(InvalidClockError);
    expect(() => clockFrom('2026-12-07 10:00')).toThrow(/AIOS_CLOCK "2026-12-07 10:00"/);
  });
});
