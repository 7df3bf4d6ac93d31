/**
 * Evaluates a parsed `when` expression against a tool input. Total: it never
 * throws on data. A missing field reads as null; an ordering comparison of
 * values that are not both numbers or both strings is false; the rule
 * matches only when the whole expression is exactly `true`.
 */
import type { Expression } from './ast';

/** Reads a field path through own properties only (so `constructor` or `__proto__` read nothing). */
export function readPath(input: unknown, path: readonly string[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function equal(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return Object.is(x, y) || x === y;
  return JSON.stringify(x) === JSON.stringify(y);
}

function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function value(e: Expression, input: unknown): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'path':
      return readPath(input, e.path);
    case 'list':
      return e.items.map((item) => value(item, input));
    case 'compare': {
      const left = value(e.left, input);
      const right = value(e.right, input);
      if (e.op === '==') return equal(left, right);
      if (e.op === '!=') return !equal(left, right);
      const o = order(left, right);
      if (o === undefined) return false;
      return e.op === '<' ? o < 0 : e.op === '<=' ? o <= 0 : e.op === '>' ? o > 0 : o >= 0;
    }
    case 'in': {
      const container = value(e.right, input);
      if (!Array.isArray(container)) return false;
      const left = value(e.left, input);
      const found = container.some((item) => equal(left, item));
      return e.negated ? !found : found;
    }
    case 'and':
      return e.operands.every((operand) => value(operand, input) === true);
    case 'or':
      return e.operands.some((operand) => value(operand, input) === true);
    case 'not':
      return value(e.operand, input) !== true;
  }
}

/**
 * True when the expression holds for `input`.
 *
 * @example evaluateExpression(parseExpression('amount <= 50'), { amount: 30 }) // true
 */
export function evaluateExpression(expression: Expression, input: unknown): boolean {
  return value(expression, input) === true;
}
