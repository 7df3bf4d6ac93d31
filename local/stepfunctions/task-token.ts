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

/** The URL-safe base64 alphabet, as character codes. */
const BASE64URL = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 'latin1');
/** Where a token is spelled out: `AAAA`, then 48 random bytes in URL-safe base64 (64 characters). */
const tokenChars = Buffer.from('A'.repeat(68), 'latin1');

/**
 * A fresh, unguessable task token (opaque to callers, like AWS's). Spelled out in place and read as one string: the
 * prefix joined to the pool's base64 text was a string of two parts, copied into one again when the token became a key
 * of the waiting tokens' map (three strings per waiting task, two of them garbage).
 */
export function newTaskToken(): string {
  const at = randomAt(48);
  const chars = tokenChars;
  for (let i = 0, o = 4; i < 48; i += 3, o += 4) {
    const a = pool[at + i];
    const b = pool[at + i + 1];
    const c = pool[at + i + 2];
    chars[o] = BASE64URL[a >> 2];
    chars[o + 1] = BASE64URL[((a & 3) << 4) | (b >> 4)];
    chars[o + 2] = BASE64URL[((b & 15) << 2) | (c >> 6)];
    chars[o + 3] = BASE64URL[c & 63];
  }
  return chars.toString('latin1', 0, 68);
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
 * joining them and padding the number made a dozen strings per id, each garbage but the last. Behind a prefix when one
 * is set (an execution's ARN up to its name, see generatedExecutionArn).
 */
class SpelledId {
  private chars = Buffer.alloc(36);
  /** Where the id starts: the length of the prefix before it. */
  private base = 0;
  /** The prefix set (latin1: see generatedExecutionArn). */
  prefixText = '';

  /** Spells the id behind `prefix` (latin1) from now on. */
  setPrefix(prefix: string): void {
    if (prefix === this.prefixText) return;
    const length = Buffer.byteLength(prefix, 'latin1');
    if (this.chars.length < length + 36) this.chars = Buffer.alloc(length + 36);
    this.chars.write(prefix, 0, 'latin1');
    this.base = length;
    this.prefixText = prefix;
  }

  /** The first 24 characters: a random version 4 UUID's (its random digits from the pool, its version 4 and variant 8). */
  randomHead(): void {
    const at = randomAt(10);
    const chars = this.chars;
    const base = this.base;
    for (let digit = 0; digit < 20; digit++) {
      const position = HEAD_POSITIONS[digit];
      if (position < 0) continue;
      const byte = pool[at + (digit >> 1)];
      chars[base + position] = HEX[digit & 1 ? byte & 15 : byte >> 4];
    }
    chars[base + 8] = chars[base + 13] = chars[base + 18] = chars[base + 23] = 45; // -
    chars[base + 14] = 52; // 4: the version
    chars[base + 19] = 56; // 8: the variant
  }

  /** The prefix and the id with `n` (below 16 ** 12) as its last 12 characters. */
  text(n: number): string {
    const chars = this.chars;
    const base = this.base;
    for (let i = base + 35; i >= base + 24; i--) {
      chars[i] = HEX[n % 16];
      n = Math.floor(n / 16);
    }
    return chars.toString('latin1', 0, base + 36);
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

const arns = new SpelledId();

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * `prefix` (an execution ARN up to its name, arns.ts executionArnPrefix) and a generated name (generatedName) as one
 * string, spelled out in place: the ARN is a key of the running executions' map, and the prefix joined to a name was a
 * string of two parts copied into one again when hashed. The name is the ARN's last 36 characters (a slice of it
 * shares its characters).
 */
export function generatedExecutionArn(prefix: string, id: number): string {
  // Machine names, regions and accounts are ASCII; anything else is spelled the plain way.
  if (prefix !== arns.prefixText && !isLatin1(prefix)) return prefix + generatedName(id);
  arns.setPrefix(prefix);
  arns.randomHead();
  return arns.text(id);
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

/** Where each of a request id's 32 hex digits goes (the version and variant digits among them, overwritten). */
const REQUEST_ID_POSITIONS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
/** A URL-safe base64 character's value (by character code), -1 for any other. */
const BASE64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) BASE64URL_VALUE[BASE64URL[i]] = i;
const requestIdChars = Buffer.from('00000000-0000-4000-8000-000000000000', 'latin1');

/** The character code of hex digit `digit` (0–31) of a well-formed `token`'s request id (see requestIdOfToken). */
function requestIdChar(token: string, digit: number): number {
  const position = REQUEST_ID_POSITIONS[digit];
  if (position === 14) return 52; // 4: the version
  if (position === 19) return 56; // 8: the variant
  return HEX[BASE64URL_VALUE[token.charCodeAt(4 + digit)] & 15];
}

/**
 * The request id of the task attempt a well-formed `token` was handed out for: a version 4 UUID whose other hex digits
 * are the low 4 bits of the token's first random characters, one each. The attempt's frame stores its token (committed before the function is invoked), so a re-delivery
 * after a crash carries the same id, and another attempt, with another token, gets another; the frame need not store the
 * id as well (~50 bytes a waiting execution, frame-text.ts). It shows 120 of the token's 384 random bits, which are
 * independent: the other 264 stay as unguessable. Undefined for any other token.
 */
export function requestIdOfToken(token: string): string | undefined {
  if (!isWellFormedToken(token)) return undefined;
  const chars = requestIdChars;
  for (let digit = 0; digit < 32; digit++) chars[REQUEST_ID_POSITIONS[digit]] = requestIdChar(token, digit);
  return chars.toString('latin1');
}

/** Whether `requestId` is requestIdOfToken(token), checked without spelling it out (every waiting frame written asks). */
export function isRequestIdOfToken(requestId: string, token: string | undefined): boolean {
  if (token === undefined || requestId.length !== 36 || !isWellFormedToken(token)) return false;
  for (let digit = 0; digit < 32; digit++) if (requestId.charCodeAt(REQUEST_ID_POSITIONS[digit]) !== requestIdChar(token, digit)) return false;
  return requestId.charCodeAt(8) === 45 && requestId.charCodeAt(13) === 45 && requestId.charCodeAt(18) === 45 && requestId.charCodeAt(23) === 45;
}
