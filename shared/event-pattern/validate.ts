import { parseEventPattern } from './parse';

/**
 * The problems EventBridge would refuse `pattern` for (its
 * InvalidEventPatternException cases); empty when the pattern is valid.
 * Each message starts with the JSON path inside the pattern.
 *
 * @example
 * validateEventPattern({ detail: { amount: [{ numeric: ['>', 'x'] }] } })
 * // ['$.detail.amount[0].numeric[1]: the value after ">" must be a number, not the string "x"']
 */
export function validateEventPattern(pattern: unknown): string[] {
  return parseEventPattern(pattern).problems;
}
