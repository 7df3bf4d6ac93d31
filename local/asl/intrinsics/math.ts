/** Math and identity intrinsics: States.MathRandom, States.MathAdd, States.UUID. */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../types';
import { arity, asInteger, fail, type IntrinsicFunction } from './family';

/**
 * AWS (intrinsic functions page, States.MathRandom and States.MathAdd): a
 * non-integer argument is rounded to the nearest integer, not refused.
 */
function nearestInteger(name: string, value: JsonValue): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, `expected a number, got ${JSON.stringify(value)}`);
  return Math.round(value);
}

/** mulberry32: a small seeded PRNG so a seeded MathRandom is repeatable. */
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const mathFunctions: Record<string, IntrinsicFunction> = {
  'States.MathRandom': (args) => {
    arity('States.MathRandom', args, 2, 3);
    const start = nearestInteger('States.MathRandom', args[0]);
    const end = nearestInteger('States.MathRandom', args[1]);
    if (end <= start) fail('States.MathRandom', 'end must be greater than start');
    const r = args.length === 3 ? seeded(asInteger('States.MathRandom', args[2])) : Math.random();
    return start + Math.floor(r * (end - start));
  },

  'States.MathAdd': (args) => {
    arity('States.MathAdd', args, 2);
    return nearestInteger('States.MathAdd', args[0]) + nearestInteger('States.MathAdd', args[1]);
  },

  'States.UUID': (args) => {
    arity('States.UUID', args, 0);
    return randomUUID();
  },
};
