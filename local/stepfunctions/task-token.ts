import { randomBytes } from 'node:crypto';

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
 * A random version 4 UUID from the pool: one hex string cut in five (Node's
 * randomUUID builds its text from sixteen byte pairs, ~1 KB of garbage per id,
 * measured; two are made per waitForTaskToken execution).
 */
export function randomUuid(): string {
  const at = randomAt(16);
  const h = pool.toString('hex', at, at + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** This process's request ids: a random version 4 UUID's first 20 hex digits, then a count (see newRequestId). */
let requestPrefix = '';
let requestCount = 0;
const REQUESTS_PER_PREFIX = 2 ** 48;

/**
 * A fresh request id (UUID-shaped) for one task attempt. It is stored with
 * the attempt in its frame, committed before the function is invoked, so a
 * re-delivery after a crash carries the same id; another attempt gets
 * another. Unique, not secret: 72 random bits drawn once per process, then
 * the attempt's number in the last 12 digits (random bits per id were 3% of
 * a Map over 1,000 items; hashing the attempt's identity cost as much).
 */
export function newRequestId(): string {
  if (requestPrefix === '' || requestCount >= REQUESTS_PER_PREFIX - 1) {
    requestPrefix = randomUuid().slice(0, 24);
    requestCount = 0;
  }
  return `${requestPrefix}${(++requestCount).toString(16).padStart(12, '0')}`;
}
