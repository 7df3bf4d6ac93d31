import { StatesIntrinsicFailureError } from '../errors';
import type { JsonValue } from '../types';

/** An intrinsic function: receives evaluated arguments (and string-literal raw text for Format). */
export type IntrinsicFunction = (args: JsonValue[], raw: (string | undefined)[]) => JsonValue;

export function fail(name: string, why: string): never {
  throw new StatesIntrinsicFailureError(`${name}: ${why}`);
}

export function arity(name: string, args: JsonValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    fail(name, `expects ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`);
  }
}

export function asArray(name: string, value: JsonValue): JsonValue[] {
  if (!Array.isArray(value)) fail(name, `expected an array, got ${JSON.stringify(value)}`);
  return value;
}

export function asString(name: string, value: JsonValue): string {
  if (typeof value !== 'string') fail(name, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function asInteger(name: string, value: JsonValue): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(name, `expected an integer, got ${JSON.stringify(value)}`);
  return value;
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as JsonValue[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, JsonValue>;
  const bo = b as Record<string, JsonValue>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}
