/** Typed errors of the decision-rights module. */
import { AiosError } from '../errors';

/** A duration string such as `30m`, `24h` or `7d` that does not parse. */
export class InvalidDurationError extends AiosError {
  constructor(value: string) {
    super('Rights.InvalidDuration', `"${value}" is not a duration: use a number and a unit, e.g. 30m, 24h, 7d (units s, m, h, d, w)`, { value });
  }
}

/** A `when` expression that does not parse; `position` is the 0-based offset in the source. */
export class ExpressionSyntaxError extends AiosError {
  readonly position: number;
  constructor(message: string, source: string, position: number) {
    super('Rights.ExpressionSyntax', `${message} at position ${position + 1} of "${source}"`, { source, position });
    this.position = position;
  }
}

/** A rule that cannot be applied (unknown approver, impossible quorum, bad field). */
export class InvalidRuleError extends AiosError {
  constructor(ruleId: string, message: string, details: Record<string, unknown> = {}) {
    super('Rights.InvalidRule', `rule "${ruleId}": ${message}`, { ruleId, ...details });
  }
}
