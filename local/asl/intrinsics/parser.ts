/**
 * Parses intrinsic function calls: `States.Format('x {}', $.a, States.UUID())`.
 * Arguments are string literals (with `\'`, `\{`, `\}`, `\\` escapes),
 * numbers, true/false/null, JSONPaths (`$.x`, `$$.x`) and nested calls.
 */
import { StatesIntrinsicFailureError } from '../errors';

export type IntrinsicArg =
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'literal'; value: number | boolean | null }
  | { kind: 'path'; path: string }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: IntrinsicArg[];
}

const cache = new Map<string, IntrinsicCall>();

/** True when a `.$` value is an intrinsic call rather than a path. */
export function looksLikeIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(text.trim());
}

/** Parses (and caches) an intrinsic call; throws States.IntrinsicFailure on bad syntax. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const hit = cache.get(text);
  if (hit) return hit;
  const parser = new Parser(text.trim());
  const call = parser.call();
  parser.skipSpace();
  if (parser.pos !== parser.text.length) parser.fail('unexpected text after the closing parenthesis');
  if (cache.size > 5_000) cache.clear();
  cache.set(text, call);
  return call;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(why: string): never {
    throw new StatesIntrinsicFailureError(`Invalid intrinsic function call '${this.text}': ${why} at position ${this.pos}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  call(): IntrinsicCall {
    const match = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected States.<Function>(');
    this.pos += match[0].length;
    this.skipSpace();
    if (this.text[this.pos] !== '(') this.fail("expected '('");
    this.pos++;
    const args: IntrinsicArg[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { name: match[0], args };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.arg());
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { name: match[0], args };
      }
      this.fail("expected ',' or ')'");
    }
  }

  arg(): IntrinsicArg {
    const rest = this.text.slice(this.pos);
    const c = rest[0];
    if (c === "'") return this.stringLiteral();
    if (c === '$') return { kind: 'path', path: this.path() };
    if (rest.startsWith('States.')) return { kind: 'call', call: this.call() };
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return { kind: 'literal', value: Number(num[0]) };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return { kind: 'literal', value };
      }
    }
    this.fail('expected an argument');
  }

  stringLiteral(): IntrinsicArg {
    this.pos++;
    let value = '';
    let raw = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next === undefined) this.fail('dangling escape');
        value += next;
        raw += next === '{' || next === '}' ? `\\${next}` : next === '\\' ? '\\\\' : next;
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        this.pos++;
        return { kind: 'string', value, raw };
      }
      value += c;
      raw += c;
      this.pos++;
    }
    this.fail('unterminated string');
  }

  /** A JSONPath runs until a ',' or ')' outside brackets, parentheses and quotes. */
  path(): string {
    const start = this.pos;
    let depth = 0;
    let quote: string | null = null;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || (c === ')' && depth > 0)) depth--;
      else if ((c === ',' || c === ')') && depth === 0) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos).trim();
  }
}
