import { createHash, randomBytes } from 'node:crypto';

const TOKEN = /^AAAA[A-Za-z0-9_-]{64}$/;

/** A fresh, unguessable task token (opaque to callers, like AWS's). */
export function newTaskToken(): string {
  return `AAAA${randomBytes(48).toString('base64url')}`;
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
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
