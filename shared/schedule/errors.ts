import { AiosError } from '../errors';

/** A schedule expression that AWS would refuse (or AIOS cannot evaluate). */
export class ScheduleExpressionError extends AiosError {
  constructor(expression: string, reason: string) {
    super('Schedule.InvalidExpression', `invalid schedule expression "${expression}": ${reason}`, { expression, reason });
  }
}

/** A time zone that is not an IANA name this runtime knows. */
export class ScheduleTimeZoneError extends AiosError {
  constructor(timeZone: string) {
    super('Schedule.InvalidTimeZone', `unknown time zone "${timeZone}" (use an IANA name such as "UTC" or "America/New_York")`, { timeZone });
  }
}
