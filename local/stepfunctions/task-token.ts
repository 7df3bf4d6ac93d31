import crypto, { createHash, randomBytes } from 'node:crypto';

const TOKEN = /^AAAA[A-Za-z0-9_-]{64}$/;

/** One-shot `crypto.hash` (Node ≥ 20.12, not in these typings): ~2.5× cheaper than a Hash object (measured), paid on every Task attempt. */
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = oneShot ? (text: string) => oneShot('sha256', text, 'hex') : (text: string) => createHash('sha256').update(text).digest('hex');

/** Random bytes drawn 256 tokens at a time: one call to the system's generator per token cost more than the rest of a waitForTaskToken transition (profiled). */
const TOKEN_BYTES = 48;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** A fresh, unguessable task token (opaque to callers, like AWS's). */
export function newTaskToken(): string {
  if (poolAt + TOKEN_BYTES > pool.length) {
    pool = randomBytes(TOKEN_BYTES * 256);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + TOKEN_BYTES);
  poolAt += TOKEN_BYTES;
  return `AAAA${bytes.toString('base64url')}`;
}

/** Whether `token` has the shape of a token this engine hands out (else: InvalidToken). */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/**
 * A request id that is the same for every delivery of one task attempt (a
 * re-delivery after a crash carries the same id), different across attempts.
 */
export function attemptRequestId(parts: (string | number)[]): string {
  const h = sha256Hex(parts.join('\u0000'));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
