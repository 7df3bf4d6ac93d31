/**
 * Random secrets the console hands to browsers (session ids, sign-in link
 * tokens, browser binding ids) and the hashes it stores instead: a stolen
 * table gives no working session or link.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 characters). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored for a token: its SHA-256, hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether a string looks like one of our tokens (before any lookup). */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The CSRF token of forms shown before sign-in: derived from the browser's
 * own HttpOnly binding cookie, which another site can neither read nor set.
 */
export function browserFormToken(browserId: string): string {
  return createHash('sha256').update(`console-form:${browserId}`).digest('base64url');
}
