import { evaluateRule, stringMatcher } from '../../../local/asl/choice-rules';
import { StatesRuntimeError } from '../../../local/asl/errors';

const rule = (r: Record<string, unknown>, input: unknown, context: unknown = {}) => evaluateRule(r as never, input as never, context as never);

test('StringMatches: * is a wildcard, \\* and \\\\ are literal, another backslash is itself', () => {
  expect(stringMatcher('*.log')('a.log')).toBe(true);
  expect(stringMatcher('*.log')('a.txt')).toBe(false);
  expect(stringMatcher('a\\*')('a*')).toBe(true);
  expect(stringMatcher('a\\*')('ab')).toBe(false);
  expect(stringMatcher('a\\\\b')('a\\b')).toBe(true);
  expect(stringMatcher('a\\nb')('a\\nb')).toBe(true);
  expect(stringMatcher('(x)+?')('(x)+?')).toBe(true);
  expect(stringMatcher('a**b')('a-b')).toBe(true);
  expect(stringMatcher('*')('')).toBe(true);
  expect(stringMatcher('ab*ab')('ab')).toBe(false);
  expect(stringMatcher('*aab*')('xaaab')).toBe(true);
  expect(rule({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2024.txt' })).toBe(true);
});

test('StringMatches: a pattern that makes a backtracking regex explode still answers', () => {
  // As a regex (^.*a.*a…b$) this takes exponential time on 30 a's; the
  // linear matcher reads the text a bounded number of times.
  const hostile = `${'*a'.repeat(25)}*b`;
  expect(rule({ Variable: '$.s', StringMatches: hostile }, { s: 'a'.repeat(30000) })).toBe(false);
  expect(rule({ Variable: '$.s', StringMatches: hostile }, { s: `${'a'.repeat(30000)}b` })).toBe(true);
});

test('comparisons are false on type mismatch; Path variants compare two paths', () => {
  expect(rule({ Variable: '$.v', NumericGreaterThan: 1 }, { v: '5' })).toBe(false);
  expect(rule({ Variable: '$.v', StringEquals: '5' }, { v: 5 })).toBe(false);
  expect(rule({ Variable: '$.a', NumericLessThanPath: '$.b' }, { a: 1, b: 2 })).toBe(true);
  expect(
    rule(
      { Variable: '$.a', TimestampLessThanEqualsPath: '$$.Execution.StartTime' },
      { a: '2020-01-01T00:00:00Z' },
      { Execution: { StartTime: '2024-01-01T00:00:00.000Z' } },
    ),
  ).toBe(true);
  expect(rule({ Variable: '$.t', TimestampEquals: '2024-01-01T00:00:00Z' }, { t: 'not a time' })).toBe(false);
});

test('a missing Variable is States.Runtime, except for IsPresent', () => {
  expect(() => rule({ Variable: '$.x', StringEquals: 'a' }, {})).toThrow(StatesRuntimeError);
  expect(() => rule({ Variable: '$.a', NumericEqualsPath: '$.missing' }, { a: 1 })).toThrow(StatesRuntimeError);
  expect(rule({ Variable: '$.x', IsPresent: false }, {})).toBe(true);
});

test('type tests and boolean combinators', () => {
  expect(rule({ Variable: '$.v', IsNull: false }, { v: 0 })).toBe(true);
  expect(rule({ Variable: '$.v', IsTimestamp: true }, { v: '2024-01-01t00:00:00z' })).toBe(false);
  expect(rule({ And: [{ Variable: '$.a', BooleanEquals: true }, { Not: { Variable: '$.b', IsPresent: true } }] }, { a: true })).toBe(true);
  expect(
    rule(
      {
        Or: [
          { Variable: '$.a', IsString: true },
          { Variable: '$.a', IsNumeric: true },
        ],
      },
      { a: true },
    ),
  ).toBe(false);
});
