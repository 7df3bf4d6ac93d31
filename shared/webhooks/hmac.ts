import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type DigestEncoding = 'hex' | 'base64';

/** HMAC of `data` (bytes or UTF-8 text) with a UTF-8 `key`. */
export function hmac(algorithm: HmacAlgorithm, key: string, data: Buffer | string | readonly (Buffer | string)[], encoding: DigestEncoding): string {
  const mac = createHmac(algorithm, key);
  for (const part of Array.isArray(data) ? data : [data]) mac.update(part as Buffer | string);
  return mac.digest(encoding);
}

/**
 * Compares two strings in time independent of where they differ and of their
 * lengths (both are hashed first, so a length mismatch leaks nothing either).
 */
export function timingSafeEqualText(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** True when any candidate equals any expected value (constant time per pair). */
export function anyMatches(expected: readonly string[], candidates: readonly string[]): boolean {
  let found = false;
  // No early exit: every pair is compared.
  for (const e of expected) for (const c of candidates) found = timingSafeEqualText(e, c) || found;
  return found;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
