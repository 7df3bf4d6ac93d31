/**
 * The functions Step Functions adds to JSONata 2.0.6, and the one it removes.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 * (section "JSONata functions provided by Step Functions").
 */
import { createHash, randomUUID } from 'node:crypto';
import type jsonata from 'jsonata';

/** A thrown value JSONata reports as the expression's error (its message reaches the Cause). */
function fail(message: string): never {
  throw Object.assign(new Error(message), { code: 'SFN' });
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** Mulberry32 seeded from a string hash: the same seed gives the same number, as AWS promises for `$random(seed)`. */
function seededRandom(seed: unknown): number {
  let h = 1779033703;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
  let t = (h += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** AWS: "functions that require integer values as parameters will automatically round down any non-integer numbers". */
const roundDown = (v: unknown): unknown => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : v);

function partition(array: unknown, chunk: unknown): unknown[][] {
  const size = roundDown(chunk);
  if (!Array.isArray(array)) fail('$partition: the first argument must be an array');
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) fail('$partition: the chunk size must be a positive integer');
  const out: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

function range(first: unknown, last: unknown, delta: unknown = 1): number[] {
  const [start, end, step] = [roundDown(first), roundDown(last), roundDown(delta)];
  for (const [name, v] of [
    ['start', start],
    ['end', end],
    ['step', step],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(`$range: ${name} must be an integer`);
  }
  const s = step as number;
  if (s === 0) fail('$range: step must not be 0');
  const out: number[] = [];
  // States.ArrayRange's limit: at most 1,000 elements.
  for (let v = start as number; s > 0 ? v <= (end as number) : v >= (end as number); v += s) {
    out.push(v);
    if (out.length > 1000) fail('$range: the result may have at most 1000 elements');
  }
  return out;
}

function hash(value: unknown, algorithm: unknown): string {
  if (typeof value !== 'string') fail('$hash: the value must be a string');
  const alg = HASH_ALGORITHMS[String(algorithm)];
  if (!alg) fail(`$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
  return createHash(alg).update(value).digest('hex');
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') fail('$parse: the argument must be a JSON string');
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`$parse: ${(error as Error).message}`);
  }
}

/**
 * Adds AWS's functions to a compiled expression and removes `$eval`: bound to a
 * non-function, calling it fails as on AWS ("T1006: Attempted to invoke a non-function").
 */
export function registerStepFunctionsFunctions(expression: jsonata.Expression): void {
  expression.registerFunction('partition', partition, '<an:a>');
  expression.registerFunction('range', range, '<nnn?:a<n>>');
  expression.registerFunction('hash', hash, '<ss:s>');
  expression.registerFunction('random', (seed?: unknown) => (seed === undefined ? Math.random() : seededRandom(seed)), '<j?:n>');
  expression.registerFunction('uuid', () => randomUUID(), '<:s>');
  expression.registerFunction('parse', parse, '<s:j>');
  expression.assign('eval', false);
}
