/**
 * Choice rule evaluation: every comparison operator, its Path variant, the
 * type tests, StringMatches and And/Or/Not.
 */
import { literalRunsMatcher } from '../../shared/event-pattern/wildcard';
import { StatesRuntimeError } from './errors';
import { NOT_FOUND } from './paths';
import { lookupPath } from './variables';
import { isTimestamp, parseTimestamp } from './timestamps';
import type { ChoiceRule, JsonValue } from './types';

type Compare = (a: JsonValue, b: JsonValue) => boolean;

const str =
  (f: (a: string, b: string) => boolean): Compare =>
  (a, b) =>
    typeof a === 'string' && typeof b === 'string' && f(a, b);
const num =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) =>
    typeof a === 'number' && typeof b === 'number' && f(a, b);
const ts =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) => {
    const x = parseTimestamp(a);
    const y = parseTimestamp(b);
    return x !== null && y !== null && f(x, y);
  };

const COMPARISONS: Record<string, Compare> = {
  StringEquals: str((a, b) => a === b),
  StringLessThan: str((a, b) => a < b),
  StringGreaterThan: str((a, b) => a > b),
  StringLessThanEquals: str((a, b) => a <= b),
  StringGreaterThanEquals: str((a, b) => a >= b),
  StringMatches: str((a, b) => stringMatcher(b)(a)),
  NumericEquals: num((a, b) => a === b),
  NumericLessThan: num((a, b) => a < b),
  NumericGreaterThan: num((a, b) => a > b),
  NumericLessThanEquals: num((a, b) => a <= b),
  NumericGreaterThanEquals: num((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && typeof b === 'boolean' && a === b,
  TimestampEquals: ts((a, b) => a === b),
  TimestampLessThan: ts((a, b) => a < b),
  TimestampGreaterThan: ts((a, b) => a > b),
  TimestampLessThanEquals: ts((a, b) => a <= b),
  TimestampGreaterThanEquals: ts((a, b) => a >= b),
};

const TYPE_TESTS: Record<string, (v: JsonValue) => boolean> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => isTimestamp(v),
};

/** Every operator name a data-test rule may use. */
export const CHOICE_OPERATORS: ReadonlySet<string> = new Set([
  ...Object.keys(COMPARISONS),
  ...Object.keys(COMPARISONS)
    .filter((k) => k !== 'StringMatches')
    .map((k) => `${k}Path`),
  ...Object.keys(TYPE_TESTS),
  'IsPresent',
]);

const matcherCache = new Map<string, (text: string) => boolean>();

/**
 * StringMatches: `*` matches any run of characters; `\*` and `\\` are
 * literal, and a backslash before anything else is itself. Matching is linear
 * in the text (no backtracking regex), so a hostile pattern cannot stall the engine.
 */
export function stringMatcher(pattern: string): (text: string) => boolean {
  let matcher = matcherCache.get(pattern);
  if (matcher) return matcher;
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) run += pattern[++i];
    else if (c === '*') {
      runs.push(run);
      run = '';
    } else run += c;
  }
  runs.push(run);
  matcher = literalRunsMatcher(runs);
  matcherCache.set(pattern, matcher);
  return matcher;
}

function lookup(path: string, input: JsonValue, context: JsonValue): JsonValue | typeof NOT_FOUND {
  return lookupPath(path, input, context);
}

function mustLookup(path: string, input: JsonValue, context: JsonValue): JsonValue {
  const value = lookup(path, input, context);
  if (value === NOT_FOUND) throw new StatesRuntimeError(`Invalid path '${path}': The choice state's condition path references an invalid value.`);
  return value;
}

/** Evaluates one rule (without its Next) against the Choice state's effective input. */
export function evaluateRule(rule: ChoiceRule, input: JsonValue, context: JsonValue): boolean {
  if (rule.And) return rule.And.every((r) => evaluateRule(r, input, context));
  if (rule.Or) return rule.Or.some((r) => evaluateRule(r, input, context));
  if (rule.Not) return !evaluateRule(rule.Not, input, context);
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw new StatesRuntimeError('A choice rule has no Variable and no And/Or/Not');
  for (const [op, operand] of Object.entries(rule)) {
    if (op === 'Variable' || op === 'Next' || op === 'Comment') continue;
    if (op === 'IsPresent') return (lookup(variable, input, context) !== NOT_FOUND) === operand;
    const typeTest = TYPE_TESTS[op];
    if (typeTest) return typeTest(mustLookup(variable, input, context)) === operand;
    const value = mustLookup(variable, input, context);
    if (op.endsWith('Path') && COMPARISONS[op.slice(0, -4)]) {
      return COMPARISONS[op.slice(0, -4)](value, mustLookup(operand as string, input, context));
    }
    const compare = COMPARISONS[op];
    if (compare) return compare(value, operand as JsonValue);
    throw new StatesRuntimeError(`Unknown choice operator '${op}'`);
  }
  throw new StatesRuntimeError(`The choice rule on '${variable}' has no operator`);
}
