import fc from 'fast-check';
import { z } from 'zod';
import { ExpressionSyntaxError } from '../../../shared/rights/errors';
import { checkExpression, evaluateExpression, fieldPaths, parseExpression } from '../../../shared/rights/expression';

const ev = (src: string, input: unknown) => evaluateExpression(parseExpression(src), input);

describe('parseExpression', () => {
  test('builds a tree with precedence: not > and > or', () => {
    expect(parseExpression('a == 1 or b == 2 and not c')).toEqual({
      kind: 'or',
      pos: 0,
      operands: [
        { kind: 'compare', op: '==', pos: 0, left: { kind: 'path', path: ['a'], pos: 0 }, right: { kind: 'literal', value: 1, pos: 5 } },
        {
          kind: 'and',
          pos: 10,
          operands: [
            { kind: 'compare', op: '==', pos: 10, left: { kind: 'path', path: ['b'], pos: 10 }, right: { kind: 'literal', value: 2, pos: 15 } },
            { kind: 'not', pos: 21, operand: { kind: 'path', path: ['c'], pos: 25 } },
          ],
        },
      ],
    });
  });

  test('literals, lists, nested paths, not in', () => {
    const e = parseExpression(`customer.tier not in ["gold", 'vip'] and x != null and y == -1.5e2 and z == true`);
    expect(fieldPaths(e)).toEqual(['customer.tier', 'x', 'y', 'z']);
    expect(e.kind).toBe('and');
  });

  test.each([
    ['', 'empty expression', 0],
    ['amount = 5', '"=" is not an operator', 7],
    ['amount <= ', 'ends too early', 10],
    ['(amount < 5', 'missing ")"', 11],
    ['amount < 5 and', 'ends too early', 14],
    ['a && b', '"&&"', 2],
    ['a < b < c', 'do not chain', 6],
    ['"unterminated', 'unterminated string', 0],
    ['a in 5', '"in" needs a list', 5],
    ['a == 1 b', 'unexpected "b"', 7],
    ['a $ b', 'unexpected character "$"', 2],
    ['a.', 'expected a field name', 2],
    ['[1, 2', 'expected "," or "]"', 5],
  ])('%j fails with position: %s', (src, message, position) => {
    let error: unknown;
    try {
      parseExpression(src);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect((error as ExpressionSyntaxError).message).toContain(message);
    expect((error as ExpressionSyntaxError).position).toBe(position);
    expect((error as ExpressionSyntaxError).code).toBe('Rights.ExpressionSyntax');
  });

  test('deep nesting is refused, not a stack overflow', () => {
    expect(() => parseExpression('('.repeat(500) + 'a' + ')'.repeat(500))).toThrow(ExpressionSyntaxError);
    expect(() => parseExpression('not '.repeat(300) + 'a')).toThrow(/nests too deeply/);
  });

  test('never executes code: JavaScript is a syntax error, not a call', () => {
    expect(() => parseExpression('process.exit(1)')).toThrow(ExpressionSyntaxError);
    expect(() => parseExpression('constructor.constructor("return 1")()')).toThrow(ExpressionSyntaxError);
  });

  test('arbitrary strings either parse or throw ExpressionSyntaxError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (src) => {
        try {
          parseExpression(src);
        } catch (e) {
          expect(e).toBeInstanceOf(ExpressionSyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('evaluateExpression', () => {
  test.each([
    ['amount <= 50', { amount: 50 }, true],
    ['amount <= 50', { amount: 50.01 }, false],
    ['amount < 50 and currency == "USD"', { amount: 10, currency: 'USD' }, true],
    ['amount < 50 and currency == "USD"', { amount: 10, currency: 'EUR' }, false],
    ['amount > 500 or customer.tier == "vip"', { amount: 10, customer: { tier: 'vip' } }, true],
    ['customer.tier in ["gold", "vip"]', { customer: { tier: 'gold' } }, true],
    ['customer.tier not in ["gold", "vip"]', { customer: { tier: 'gold' } }, false],
    ['customer.tier not in ["gold", "vip"]', {}, true],
    ['"urgent" in tags', { tags: ['urgent', 'x'] }, true],
    ['"urgent" in tags', { tags: 'urgent' }, false],
    ['not expedited', { expedited: false }, true],
    ['expedited', { expedited: 'yes' }, false],
    ['reason == null', {}, true],
    ['reason != null', { reason: 'x' }, true],
    ['amount < 50', { amount: '10' }, false],
    ['amount >= 50', {}, false],
    ['name > "m"', { name: 'zed' }, true],
    ['-5 < amount', { amount: 0 }, true],
    ['(a == 1 or b == 1) and c == 1', { a: 1, c: 1 }, true],
    ['(a == 1 or b == 1) and c == 1', { a: 1, c: 2 }, false],
    ['constructor == null', {}, true],
    ['toString == null', { x: 1 }, true],
  ])('%s over %j → %s', (src, input, expected) => {
    expect(ev(src, input)).toBe(expected);
  });

  test('never throws on any input', () => {
    const e = parseExpression('a.b.c <= 3 and d in [1, "x", null] or not e');
    fc.assert(fc.property(fc.anything(), (input) => typeof evaluateExpression(e, input) === 'boolean'));
  });
});

describe('checkExpression', () => {
  const refund = z.toJSONSchema(
    z.object({
      orderId: z.string(),
      amount: z.number().positive(),
      currency: z.enum(['USD', 'EUR']),
      reason: z.string().optional(),
      expedited: z.boolean().optional(),
      customer: z.object({ tier: z.string() }).nullable().optional(),
      tags: z.array(z.string()),
      extra: z.record(z.string(), z.number()),
    }),
    { io: 'input' },
  );
  const issues = (src: string) => checkExpression(parseExpression(src), refund);

  test('a consistent expression has no issues', () => {
    expect(
      issues('amount <= 50 and currency in ["USD"] and customer.tier == "vip" and not expedited and "a" in tags and extra.x > 1 and reason != null'),
    ).toEqual([]);
  });

  test('unknown fields are reported with their position and the fields that exist', () => {
    expect(issues('ammount <= 50')).toEqual([
      { position: 0, field: 'ammount', message: expect.stringContaining('field "ammount" is not in the tool input (fields here: orderId, amount, currency') },
    ]);
    expect(issues('amount < 5 and customer.teir == "x"')[0]).toMatchObject({ position: 15, field: 'customer.teir' });
  });

  test('type mismatches are reported', () => {
    expect(issues('amount == "50"')[0].message).toContain('compares number with string');
    expect(issues('orderId < true')[0].message).toContain('needs numbers or strings');
    expect(issues('amount < "5"')[0].message).toContain('never true');
    expect(issues('amount')[0].message).toContain('expected a condition');
    expect(issues('"x" in amount')[0].message).toContain('"in" needs a list');
    expect(issues('amount in ["a", "b"]')[0].message).toContain('never found');
    expect(issues('currency == "usd"')[0].message).toContain('"usd" is not an allowed value of "currency"');
    expect(issues('currency in ["USD", "GBP"]')).toEqual([expect.objectContaining({ position: 20, message: expect.stringContaining('"GBP"') })]);
  });

  test('an open schema accepts any field', () => {
    expect(checkExpression(parseExpression('anything.at.all == 1'), {})).toEqual([]);
  });
});
