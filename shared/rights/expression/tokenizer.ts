/** Splits a `when` expression into tokens; rejects anything outside the language. */
import { ExpressionSyntaxError } from '../errors';

export type TokenType = 'number' | 'string' | 'ident' | 'keyword' | 'op' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** Keywords, operators and punctuation: their text; identifiers: the name; literals: the raw text. */
  text: string;
  /** Parsed value of number and string literals. */
  value?: number | string;
  pos: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'];
const PUNCTUATION = new Set(['(', ')', '[', ']', ',', '.']);
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

/** @throws ExpressionSyntaxError with the offending position */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    const number = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    // A minus sign is only part of a number where an operand may start (never after a value).
    const previous = tokens[tokens.length - 1];
    const operandExpected =
      !previous ||
      previous.type === 'op' ||
      (previous.type === 'keyword' && !['true', 'false', 'null'].includes(previous.text)) ||
      ['(', '[', ','].includes(previous.text);
    if (number && (c !== '-' || operandExpected)) {
      if (/[A-Za-z_]/.test(source[i + number[0].length] ?? '')) throw new ExpressionSyntaxError('a number runs into a name', source, i);
      tokens.push({ type: 'number', text: number[0], value: Number(number[0]), pos: start });
      i += number[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionSyntaxError('unterminated string', source, start);
        const ch = source[i];
        if (ch === c) break;
        if (ch === '\\') {
          const next = source[i + 1];
          if (next === undefined || !(next in ESCAPES)) throw new ExpressionSyntaxError(`unknown escape "\\${next ?? ''}"`, source, i);
          value += ESCAPES[next];
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ type: 'string', text: source.slice(start, i), value, pos: start });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (word) {
      tokens.push({ type: KEYWORDS.has(word[0]) ? 'keyword' : 'ident', text: word[0], pos: start });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', text: op, pos: start });
      i += op.length;
      continue;
    }
    if (PUNCTUATION.has(c)) {
      tokens.push({ type: 'punct', text: c, pos: start });
      i++;
      continue;
    }
    if (c === '=') throw new ExpressionSyntaxError('"=" is not an operator (use "==")', source, i);
    if (source.startsWith('&&', i) || source.startsWith('||', i))
      throw new ExpressionSyntaxError(`"${source.slice(i, i + 2)}" is not an operator (use "and" / "or")`, source, i);
    if (c === '!') throw new ExpressionSyntaxError('"!" is not an operator (use "not" or "!=")', source, i);
    throw new ExpressionSyntaxError(`unexpected character "${c}"`, source, i);
  }
  tokens.push({ type: 'eof', text: '', pos: source.length });
  return tokens;
}
