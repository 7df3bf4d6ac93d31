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

/** Hex digits as character codes. */
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * Where a generated execution name or a request id is spelled out before it becomes one string: a UUID's first 24
 * characters (`xxxxxxxx-xxxx-4xxx-8xxx-`), then a number in 12 hex digits. Slicing a UUID's hex text into its groups,
 * joining them and padding the number made a dozen strings per id, each garbage but the last.
 */
class SpelledId {
  private readonly chars = Buffer.alloc(36);

  /** The first 24 characters: a random version 4 UUID's (its random digits from the pool, its version 4 and variant 8). */
  randomHead(): void {
    const at = randomAt(10);
    const chars = this.chars;
    for (let digit = 0; digit < 20; digit++) {
      const position = HEAD_POSITIONS[digit];
      if (position < 0) continue;
      const byte = pool[at + (digit >> 1)];
      chars[position] = HEX[digit & 1 ? byte & 15 : byte >> 4];
    }
    chars[8] = chars[13] = chars[18] = chars[23] = 45; // -
    chars[14] = 52; // 4: the version
    chars[19] = 56; // 8: the variant
  }

  /** The id with `n` (below 16 ** 12) as its last 12 characters. */
  text(n: number): string {
    const chars = this.chars;
    for (let i = 35; i >= 24; i--) {
      chars[i] = HEX[n % 16];
      n = Math.floor(n / 16);
    }
    return chars.toString('latin1', 0, 36);
  }
}

/** Where each of a UUID's first 20 hex digits goes in its text (-1: the digit the version or variant replaces). */
const HEAD_POSITIONS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, -1, 15, 16, 17, -1, 20, 21, 22];

const names = new SpelledId();

/**
 * A generated execution name: a random UUID whose last group is the execution's integer id. The store finds such an
 * execution by id (arns.ts, idInExecutionArn), so it needs no ARN index entry: one b-tree page fewer written per execution.
 */
export function generatedName(id: number): string {
  names.randomHead();
  return names.text(id);
}

/** This process's request ids: a random version 4 UUID's first 24 characters, then a count (see newRequestId). */
const requests = new SpelledId();
let requestCount = -1;
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
  if (requestCount < 0 || requestCount >= REQUESTS_PER_PREFIX - 1) {
    requests.randomHead();
    requestCount = 0;
  }
  return requests.text(++requestCount);
}
