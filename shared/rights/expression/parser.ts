/**
 * Recursive-descent parser for `when` expressions. The language, loosest
 * binding first:
 *
 *   expr       := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | comparison
 *   comparison := operand (('=='|'!='|'<'|'<='|'>'|'>=') operand | 'not'? 'in' operand)?
 *   operand    := number | string | true | false | null | path | list | '(' expr ')'
 *   path       := name ('.' name)*
 *   list       := '[' (operand (',' operand)*)? ']'
 *
 * The result is a syntax tree that `evaluateExpression` walks; nothing is
 * ever handed to `eval` or `Function`.
 */
import { ExpressionSyntaxError } from '../errors';
import type { CompareOp, Expression } from './ast';
import { tokenize, type Token } from './tokenizer';

const COMPARE_OPS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);
/** Deeply nested input is refused rather than overflowing the stack. */
const MAX_DEPTH = 64;
/** Longest accepted source: rules are short; this bounds work per evaluation. */
export const MAX_EXPRESSION_LENGTH = 2000;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Expression {
    if (this.peek().type === 'eof') this.fail('empty expression', this.peek());
    const expression = this.or();
    if (this.peek().type !== 'eof') this.fail(`unexpected "${this.peek().text}"`, this.peek());
    return expression;
  }

  private or(): Expression {
    const first = this.and();
    const operands = [first];
    while (this.isKeyword('or')) {
      this.i++;
      operands.push(this.and());
    }
    return operands.length === 1 ? first : { kind: 'or', operands, pos: first.pos };
  }

  private and(): Expression {
    const first = this.unary();
    const operands = [first];
    while (this.isKeyword('and')) {
      this.i++;
      operands.push(this.unary());
    }
    return operands.length === 1 ? first : { kind: 'and', operands, pos: first.pos };
  }

  private unary(): Expression {
    if (this.isKeyword('not') && !(this.peek(1).type === 'keyword' && this.peek(1).text === 'in')) {
      const token = this.next();
      return this.nested(() => ({ kind: 'not', operand: this.unary(), pos: token.pos }));
    }
    return this.comparison();
  }

  private comparison(): Expression {
    const left = this.operand();
    const token = this.peek();
    if (token.type === 'op' && COMPARE_OPS.has(token.text)) {
      this.i++;
      const right = this.operand();
      this.refuseChainedComparison();
      return { kind: 'compare', op: token.text as CompareOp, left, right, pos: left.pos };
    }
    if (this.isKeyword('in') || (this.isKeyword('not') && this.peek(1).type === 'keyword' && this.peek(1).text === 'in')) {
      const negated = this.isKeyword('not');
      this.i += negated ? 2 : 1;
      const right = this.operand();
      if (right.kind !== 'list' && right.kind !== 'path')
        this.fail('"in" needs a list such as ["a", "b"] or a field holding a list', this.tokens[this.i - 1], right.pos);
      this.refuseChainedComparison();
      return { kind: 'in', negated, left, right, pos: left.pos };
    }
    return left;
  }

  private refuseChainedComparison(): void {
    const token = this.peek();
    if ((token.type === 'op' && COMPARE_OPS.has(token.text)) || this.isKeyword('in')) {
      this.fail(`comparisons do not chain: combine them with "and"`, token);
    }
  }

  private operand(): Expression {
    const token = this.next();
    switch (token.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value as number | string, pos: token.pos };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true', pos: token.pos };
        if (token.text === 'null') return { kind: 'literal', value: null, pos: token.pos };
        return this.fail(`expected a value or field, found "${token.text}"`, token);
      case 'ident':
        return this.path(token);
      case 'punct':
        if (token.text === '(') {
          return this.nested(() => {
            const inner = this.or();
            this.expect(')');
            return inner;
          });
        }
        if (token.text === '[') return this.nested(() => this.list(token));
        return this.fail(`expected a value or field, found "${token.text}"`, token);
      case 'eof':
        return this.fail('expression ends too early', token);
      default:
        return this.fail(`expected a value or field, found "${token.text}"`, token);
    }
  }

  private path(first: Token): Expression {
    const path = [first.text];
    while (this.peek().type === 'punct' && this.peek().text === '.') {
      this.i++;
      const part = this.next();
      // Keywords are fine after a dot (`order.in` is a field), not as the first segment.
      if (part.type !== 'ident' && part.type !== 'keyword') this.fail('expected a field name after "."', part);
      path.push(part.text);
    }
    return { kind: 'path', path, pos: first.pos };
  }

  private list(open: Token): Expression {
    const items: Expression[] = [];
    if (this.peek().type === 'punct' && this.peek().text === ']') {
      this.i++;
      return { kind: 'list', items, pos: open.pos };
    }
    for (;;) {
      items.push(this.operand());
      const token = this.next();
      if (token.type === 'punct' && token.text === ']') return { kind: 'list', items, pos: open.pos };
      if (!(token.type === 'punct' && token.text === ',')) this.fail('expected "," or "]" in list', token);
    }
  }

  private nested<T>(body: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail('expression nests too deeply', this.peek());
    try {
      return body();
    } finally {
      this.depth--;
    }
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.type === 'eof') this.fail(`missing "${text}"`, token);
    if (token.text !== text || token.type === 'string') this.fail(`expected "${text}", found "${token.text}"`, token);
  }

  private isKeyword(text: string): boolean {
    const token = this.peek();
    return token.type === 'keyword' && token.text === text;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.i++;
    return token;
  }

  private fail(message: string, token: Token, pos = token.pos): never {
    throw new ExpressionSyntaxError(message, this.source, pos);
  }
}

/**
 * Parses a `when` expression.
 *
 * @example parseExpression('amount <= 50 and currency in ["USD", "EUR"]')
 * @throws ExpressionSyntaxError with the position of the problem
 */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_EXPRESSION_LENGTH)
    throw new ExpressionSyntaxError(`expression longer than ${MAX_EXPRESSION_LENGTH} characters`, source.slice(0, 40) + '…', MAX_EXPRESSION_LENGTH);
  return new Parser(source, tokenize(source)).parse();
}

/** `parseExpression` without throwing, for validators. */
export function tryParseExpression(source: string): { ok: true; expression: Expression } | { ok: false; error: ExpressionSyntaxError } {
  try {
    return { ok: true, expression: parseExpression(source) };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { ok: false, error };
    throw error;
  }
}
