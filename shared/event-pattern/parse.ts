/**
 * Reads an EventBridge event pattern (already parsed from JSON) into its
 * typed form, collecting every problem EventBridge would refuse the pattern
 * for (InvalidEventPatternException). Each problem names the JSON path inside
 * the pattern and says what EventBridge allows there.
 *
 * The rules follow EventBridge's matching engine (aws/event-ruler, the
 * library EventBridge is built on) and the EventBridge user guide.
 */
import type { Condition, LeafField, NestedField, PatternNode, Scalar } from './ast';
import { parseCidr } from './ip-address';
import { MAX_WILDCARDS_PER_FIELD, wildcardCount, wildcardProblem } from './wildcard';

/**
 * Numeric operands (`numeric`, numeric `anything-but`) must lie within
 * ±5.0e9, the range the EventBridge user guide gives for numeric matching.
 * Exact number values outside it stay valid: EventBridge then compares them
 * literally (an AWS account number, say).
 */
export const NUMERIC_LIMIT = 5e9;

const OPERATORS = ['exactly', 'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'];

/** Field names EventBridge reserves inside `$or` branches (operators and words kept for future ones). */
const RESERVED_IN_OR = new Set([
  ...OPERATORS,
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

export interface ParsedPattern {
  /** Null when the pattern is not an object at all. */
  node: PatternNode | null;
  problems: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function child(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

class PatternReader {
  readonly problems: string[] = [];

  private problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  readObject(value: Record<string, unknown>, path: string, insideOr: boolean): PatternNode {
    const node: PatternNode = { fields: [], or: null };
    const keys = Object.keys(value);
    if (keys.length === 0) this.problem(path, 'empty objects are not allowed; give at least one field');
    for (const key of keys) {
      const item = value[key];
      const at = child(path, key);
      if (key === '$or') {
        node.or = this.readOr(item, at);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(key)) {
        this.problem(at, `"${key}" is a reserved name and cannot be used as a field inside $or`);
        continue;
      }
      if (Array.isArray(item)) {
        const leaf: LeafField = { kind: 'leaf', key, conditions: this.readValues(item, at) };
        this.checkWildcardComplexity(leaf.conditions, at);
        node.fields.push(leaf);
      } else if (isPlainObject(item)) {
        const nested: NestedField = { kind: 'nested', key, node: this.readObject(item, at, insideOr) };
        node.fields.push(nested);
      } else {
        this.problem(at, `must be an object (nested fields) or an array (values to match), not ${describe(item)}`);
      }
    }
    return node;
  }

  /** EventBridge's "rule is too complex" for wildcards, with the local measure (see MAX_WILDCARDS_PER_FIELD). */
  private checkWildcardComplexity(conditions: Condition[], path: string): void {
    let count = 0;
    for (const c of conditions) {
      if (c.type === 'wildcard') count += wildcardCount(c.value);
      else if (c.type === 'anything-but-string' && c.mode === 'wildcard') for (const v of c.values) count += wildcardCount(v);
    }
    if (count > MAX_WILDCARDS_PER_FIELD) {
      this.problem(
        path,
        `rule is too complex: ${count} wildcard characters in this field's values, at most ${MAX_WILDCARDS_PER_FIELD}; use fewer wildcard characters (a prefix or suffix match needs none)`,
      );
    }
  }

  private readOr(value: unknown, path: string): PatternNode[] {
    if (!Array.isArray(value)) {
      this.problem(path, `$or must be an array of at least 2 objects, not ${describe(value)}`);
      return [];
    }
    const branches: PatternNode[] = [];
    value.forEach((branch, i) => {
      if (isPlainObject(branch)) branches.push(this.readObject(branch, `${path}[${i}]`, true));
      else this.problem(`${path}[${i}]`, `only objects are allowed in a $or array, not ${describe(branch)}`);
    });
    if (value.length < 2) this.problem(path, `$or needs at least 2 objects, got ${value.length}`);
    return branches;
  }

  private readValues(values: unknown[], path: string): Condition[] {
    if (values.length === 0) this.problem(path, 'empty arrays are not allowed; list at least one value or match expression');
    const out: Condition[] = [];
    values.forEach((value, i) => {
      const at = `${path}[${i}]`;
      if (isPlainObject(value)) {
        const condition = this.readExpression(value, at);
        if (condition) out.push(condition);
      } else if (value === null || typeof value === 'string' || typeof value === 'boolean') {
        out.push({ type: 'exact', value: value as Scalar });
      } else if (typeof value === 'number') {
        if (Number.isFinite(value)) out.push({ type: 'exact', value });
        else this.problem(at, `${value} is not a JSON number`);
      } else {
        this.problem(at, `a match value must be a string, number, true, false, null or a match expression object, not ${describe(value)}`);
      }
    });
    return out;
  }

  private readExpression(expression: Record<string, unknown>, path: string): Condition | null {
    const keys = Object.keys(expression);
    if (keys.length === 0) {
      this.problem(path, `empty match expression; use one of ${OPERATORS.join(', ')}`);
      return null;
    }
    if (keys.length > 1) {
      this.problem(path, `only one key is allowed in a match expression, got ${keys.join(', ')}`);
      return null;
    }
    const op = keys[0];
    const operand = expression[op];
    const at = child(path, op);
    switch (op) {
      case 'exactly':
        return this.stringOperand(operand, at, op) === null ? null : { type: 'exact', value: operand as string, literal: true };
      case 'prefix':
      case 'suffix':
        return this.readPrefixSuffix(op, operand, at);
      case 'equals-ignore-case':
        return this.stringOperand(operand, at, op) === null ? null : { type: 'equals-ignore-case', value: operand as string };
      case 'wildcard': {
        const value = this.stringOperand(operand, at, op);
        if (value === null) return null;
        const problem = wildcardProblem(value);
        if (problem) {
          this.problem(at, problem);
          return null;
        }
        return { type: 'wildcard', value };
      }
      case 'numeric':
        return this.readNumeric(operand, at);
      case 'exists':
        if (typeof operand !== 'boolean') {
          this.problem(at, `exists must be true or false, not ${describe(operand)}`);
          return null;
        }
        return { type: 'exists', value: operand };
      case 'cidr': {
        const value = this.stringOperand(operand, at, op);
        if (value === null) return null;
        const block = parseCidr(value);
        if (typeof block === 'string') {
          this.problem(at, block);
          return null;
        }
        return { type: 'cidr', ...block };
      }
      case 'anything-but':
        return this.readAnythingBut(operand, at);
      default:
        this.problem(path, `unrecognized match type "${op}"; use one of ${OPERATORS.join(', ')}`);
        return null;
    }
  }

  private stringOperand(operand: unknown, path: string, op: string): string | null {
    if (typeof operand === 'string') return operand;
    this.problem(path, `${op} must be a string, not ${describe(operand)}`);
    return null;
  }

  private readPrefixSuffix(op: 'prefix' | 'suffix', operand: unknown, path: string): Condition | null {
    if (isPlainObject(operand)) {
      const keys = Object.keys(operand);
      if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
        this.problem(
          path,
          `the only expression allowed inside ${op} is {"equals-ignore-case": "<string>"}, got ${keys.length ? keys.join(', ') : 'an empty object'}`,
        );
        return null;
      }
      const value = this.stringOperand(operand['equals-ignore-case'], child(path, 'equals-ignore-case'), 'equals-ignore-case');
      return value === null ? null : { type: op, value, ignoreCase: true };
    }
    const value = this.stringOperand(operand, path, op);
    return value === null ? null : { type: op, value, ignoreCase: false };
  }

  private numericOperand(value: unknown, path: string, what: string): number | null {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problem(path, `${what} must be a number, not ${describe(value)}`);
      return null;
    }
    if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) {
      this.problem(path, `${value} is out of range; numeric matching allows values from -5.0e9 to 5.0e9`);
      return null;
    }
    return value;
  }

  private readNumeric(operand: unknown, path: string): Condition | null {
    const usage = 'use ["=", n], [">" | ">=" | "<" | "<=", n] or [">" | ">=", low, "<" | "<=", high]';
    if (!Array.isArray(operand)) {
      this.problem(path, `numeric must be an array; ${usage}`);
      return null;
    }
    const [op1, v1, op2, v2] = operand;
    if (typeof op1 !== 'string' || !['=', '<', '<=', '>', '>='].includes(op1)) {
      this.problem(`${path}[0]`, `unrecognized numeric operator ${describe(op1)}; ${usage}`);
      return null;
    }
    const first = this.numericOperand(v1, `${path}[1]`, `the value after "${op1}"`);
    if (first === null) return null;
    if (op1 === '=' || op1 === '<' || op1 === '<=') {
      if (operand.length > 2) {
        this.problem(path, `too many elements after "${op1}"; ${usage}`);
        return null;
      }
      if (op1 === '=') return { type: 'numeric', lower: { value: first, inclusive: true }, upper: { value: first, inclusive: true } };
      return { type: 'numeric', upper: { value: first, inclusive: op1 === '<=' } };
    }
    const lower = { value: first, inclusive: op1 === '>=' };
    if (operand.length === 2) return { type: 'numeric', lower };
    if (op2 !== '<' && op2 !== '<=') {
      this.problem(`${path}[2]`, `a range's upper operator must be "<" or "<=", not ${describe(op2)}`);
      return null;
    }
    const second = this.numericOperand(v2, `${path}[3]`, `the value after "${op2}"`);
    if (second === null) return null;
    if (operand.length > 4) {
      this.problem(path, `too many terms in numeric range; ${usage}`);
      return null;
    }
    if (first >= second) {
      this.problem(path, `the range's lower bound ${first} must be less than its upper bound ${second}`);
      return null;
    }
    return { type: 'numeric', lower, upper: { value: second, inclusive: op2 === '<=' } };
  }

  private readAnythingBut(operand: unknown, path: string): Condition | null {
    if (isPlainObject(operand)) {
      const keys = Object.keys(operand);
      const mode = keys[0];
      if (keys.length !== 1 || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(mode)) {
        this.problem(
          path,
          `unsupported anything-but expression ${keys.length ? keys.join(', ') : '{}'}; inside anything-but use exactly one of prefix, suffix, equals-ignore-case, wildcard`,
        );
        return null;
      }
      const at = child(path, mode);
      const inner = operand[mode];
      const items = Array.isArray(inner) ? inner : [inner];
      if (Array.isArray(inner) && inner.length === 0) this.problem(at, 'empty arrays are not allowed');
      const values: string[] = [];
      items.forEach((item, i) => {
        const itemAt = Array.isArray(inner) ? `${at}[${i}]` : at;
        if (typeof item !== 'string') {
          this.problem(itemAt, `anything-but ${mode} values must be strings, not ${describe(item)}`);
          return;
        }
        if ((mode === 'prefix' || mode === 'suffix') && item === '') {
          this.problem(itemAt, `an empty ${mode} is not allowed inside anything-but`);
          return;
        }
        if (mode === 'wildcard') {
          const problem = wildcardProblem(item);
          if (problem) {
            this.problem(itemAt, problem);
            return;
          }
        }
        values.push(item);
      });
      return { type: 'anything-but-string', mode: mode as 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard', values };
    }
    const items = Array.isArray(operand) ? operand : [operand];
    if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
      this.problem(
        path,
        `anything-but must be a string, a number, an array of only strings or only numbers, or an object with prefix, suffix, equals-ignore-case or wildcard; not ${describe(operand)}`,
      );
      return null;
    }
    const strings: string[] = [];
    const numbers: number[] = [];
    let bad = false;
    items.forEach((item, i) => {
      const itemAt = Array.isArray(operand) ? `${path}[${i}]` : path;
      if (typeof item === 'string') strings.push(item);
      else if (typeof item === 'number') {
        const n = this.numericOperand(item, itemAt, 'an anything-but number');
        if (n === null) bad = true;
        else numbers.push(n);
      } else {
        bad = true;
        this.problem(itemAt, `inside an anything-but list only strings or numbers are allowed, not ${describe(item)}`);
      }
    });
    if (bad) return null;
    if (strings.length > 0 && numbers.length > 0) {
      this.problem(path, 'inside an anything-but list all values must be strings or all numbers; mixed types are not supported');
      return null;
    }
    if (strings.length === 0 && numbers.length === 0) {
      this.problem(path, 'an anything-but list needs at least one string or number');
      return null;
    }
    return { type: 'anything-but', strings, numbers };
  }
}

/** Reads a pattern into its typed form and the problems EventBridge would refuse it for. */
export function parseEventPattern(pattern: unknown): ParsedPattern {
  const reader = new PatternReader();
  if (!isPlainObject(pattern)) {
    return { node: null, problems: [`$: an event pattern must be a JSON object, not ${describe(pattern)}`] };
  }
  const node = reader.readObject(pattern, '$', false);
  return { node, problems: reader.problems };
}
