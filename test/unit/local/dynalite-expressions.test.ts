/**
 * dynalite's expression parsers with their templates kept (local/dynalite-expressions.ts)
 * answer as the parsers do: each case is parsed by dynalite's own parser and by
 * the keeping one, the second time with other values (a kept template), and the
 * trees, the errors and the unused names and values left must be the same.
 */
import { deepStrictEqual } from 'node:assert';
import { keepingTemplates, type Parse, type ParseContext } from '../../../local/dynalite-expressions';

// dynalite ships no types.
/* eslint-disable @typescript-eslint/no-require-imports */
const condition = require('dynalite/db/conditionParser') as { parse: Parse };
const update = require('dynalite/db/updateParser') as { parse: Parse };
const projection = require('dynalite/db/projectionParser') as { parse: Parse };
const dynaliteDb = require('dynalite/db') as { compare: unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

type Values = Record<string, Record<string, unknown>>;

/** A context as dynalite's validation builds one for a request. */
function contextOf(names: Record<string, string> | undefined, values: Values | undefined): ParseContext {
  return {
    attrNames: names,
    attrVals: values,
    unusedAttrNames: Object.fromEntries(Object.keys(names ?? {}).map((n) => [n, true])),
    unusedAttrVals: Object.fromEntries(Object.keys(values ?? {}).map((v) => [v, true])),
    isReserved: (name: string) => name.toUpperCase() === 'STATUS',
    compare: dynaliteDb.compare,
  };
}

/** What a parse gives: its tree or error, or what it throws. */
function outcome(parse: Parse, input: string, context: ParseContext): unknown {
  try {
    return { tree: parse(input, { context }) };
  } catch (error) {
    return { thrown: (error as Error).message };
  }
}

const cases: { parser: Parse; input: string; names?: Record<string, string>; values: [Values | undefined, Values | undefined] }[] = [
  { parser: condition.parse, input: 'attribute_not_exists(pk)', values: [undefined, undefined] },
  {
    parser: condition.parse,
    input: '#s = :s AND #h = :h',
    names: { '#s': 'seq', '#h': 'hash' },
    values: [
      { ':s': { N: '4' }, ':h': { S: 'abc' } },
      { ':s': { N: '5' }, ':h': { S: 'def' } },
    ],
  },
  {
    parser: condition.parse,
    input: 'pk = :pk AND begins_with(sk, :prefix)',
    values: [
      { ':pk': { S: 'run#1' }, ':prefix': { S: 'conv#' } },
      { ':pk': { S: 'run#2' }, ':prefix': { S: 'tool#' } },
    ],
  },
  // Values of another type: another template, and here an error of the parser's own.
  {
    parser: condition.parse,
    input: 'begins_with(sk, :prefix)',
    values: [{ ':prefix': { S: 'a' } }, { ':prefix': { N: '1' } }],
  },
  // Bounds are compared: parsed each time, with each request's values.
  {
    parser: condition.parse,
    input: 'n BETWEEN :lo AND :hi',
    values: [
      { ':lo': { N: '1' }, ':hi': { N: '2' } },
      { ':lo': { N: '3' }, ':hi': { N: '2' } },
    ],
  },
  { parser: condition.parse, input: 'attribute_type(a, :t)', values: [{ ':t': { S: 'S' } }, { ':t': { S: 'X' } }] },
  // A value the expression does not use stays unused; a name it does not define is an error.
  {
    parser: condition.parse,
    input: 'a = :a',
    values: [
      { ':a': { S: '1' }, ':b': { S: '2' } },
      { ':a': { S: '3' }, ':b': { S: '4' } },
    ],
  },
  { parser: condition.parse, input: '#x = :a', values: [{ ':a': { S: '1' } }, { ':a': { S: '2' } }] },
  { parser: condition.parse, input: 'status = :a', values: [{ ':a': { S: '1' } }, { ':a': { S: '2' } }] },
  { parser: condition.parse, input: 'a = = :a', values: [{ ':a': { S: '1' } }, { ':a': { S: '2' } }] },
  {
    parser: update.parse,
    input: 'SET #t = if_not_exists(#t, :zero) + :n, updatedAt = :at REMOVE draft',
    names: { '#t': 'tokens' },
    values: [
      { ':zero': { N: '0' }, ':n': { N: '12' }, ':at': { S: '2026-12-07T09:00:00Z' } },
      { ':zero': { N: '0' }, ':n': { N: '40' }, ':at': { S: '2026-12-07T09:00:01Z' } },
    ],
  },
  { parser: update.parse, input: 'ADD n :s', values: [{ ':s': { S: 'x' } }, { ':s': { S: 'y' } }] },
  { parser: update.parse, input: 'SET a = :m, b = :m', values: [{ ':m': { M: { x: { S: '1' } } } }, { ':m': { M: { y: { L: [] } } } }] },
  { parser: projection.parse, input: 'pk, sk, #d.items[0]', names: { '#d': 'data' }, values: [undefined, undefined] },
];

describe('dynalite expression templates', () => {
  it.each(cases.map((c, i) => [i, c.input, c] as const))('case %i (%s) parses as dynalite parses it, again with other values', (_i, _input, c) => {
    const keeping = keepingTemplates(c.parser);
    for (const values of [c.values[0], c.values[1], c.values[1]]) {
      const theirs = contextOf(c.names, structuredClone(values));
      const ours = contextOf(c.names, structuredClone(values));
      const expected = outcome(c.parser, c.input, theirs);
      const got = outcome(keeping, c.input, ours);
      deepStrictEqual(got, expected);
      expect(ours.unusedAttrNames).toEqual(theirs.unusedAttrNames);
      expect(ours.unusedAttrVals).toEqual(theirs.unusedAttrVals);
    }
  });

  it('tells names apart whatever characters they hold', () => {
    const keeping = keepingTemplates(condition.parse);
    const cases: Record<string, string>[] = [{ '#a': 'x\u0001#b=y' }, { '#a': 'x', '#b': 'y' }, { '#a': 'x";"#b":"y' }];
    for (const names of cases) {
      const theirs = contextOf(names, { ':v': { S: '1' } });
      const ours = contextOf(names, { ':v': { S: '1' } });
      deepStrictEqual(outcome(keeping, '#a = :v', ours), outcome(condition.parse, '#a = :v', theirs));
      expect(ours.unusedAttrNames).toEqual(theirs.unusedAttrNames);
    }
  });

  it('answers a kept expression with a fresh tree holding the request’s own values', () => {
    const keeping = keepingTemplates(condition.parse);
    const first = contextOf(undefined, { ':v': { S: 'one' } });
    const a = keeping('x = :v', { context: first }) as { expression: { args: unknown[] } };
    const second = contextOf(undefined, { ':v': { S: 'two' } });
    const b = keeping('x = :v', { context: second }) as { expression: { args: unknown[] } };
    expect(a.expression.args[1]).toBe(first.attrVals![':v']);
    expect(b.expression.args[1]).toBe(second.attrVals![':v']);
    expect(b.expression).not.toBe(a.expression);
    expect(b.expression.args[0]).not.toBe(a.expression.args[0]);
  });
});
