import { randomBytes, randomUUID } from 'node:crypto';

const TOKEN = /^AAAA[A-Za-z0-9_-]{64}$/;

/** Random bytes drawn 12 KiB at a time: one call to the system's generator per token cost more than the rest of a waitForTaskToken transition (profiled). */
const POOL_BYTES = 48 * 256;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** Where `n` fresh random bytes start in `pool` (read in place: a view of them per token was garbage to collect). */
function randomAt(n: number): number {
  if (poolAt + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}

/** A fresh, unguessable task token (opaque to callers, like AWS's). */
export function newTaskToken(): string {
  const at = randomAt(48);
  return `AAAA${pool.toString('base64url', at, at + 48)}`;
}

/** Whether `token` has the shape of a token this engine hands out (else: InvalidToken). */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/**
 * A fresh request id (a version 4 UUID) for one task attempt. It is stored
 * with the attempt in its frame, committed before the function is invoked,
 * so a re-delivery after a crash carries the same id; another attempt gets
 * another. (Hashing the attempt's identity instead cost 3% of a Map; Node's
 * own UUIDs draw their entropy in bulk too, and build the text without slicing.)
 */
export function newRequestId(): string {
  return randomUUID();
}
