/**
 * The digest that binds an approval to the exact tool input: sha256 (hex) of
 * the input's canonical JSON (object keys sorted at every level). The tool
 * runner recomputes it before running an approved call and refuses a
 * mismatch, so an approval can never be reused for a changed call.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

export { canonicalJson };

/** sha256 hex of the canonical JSON of `input`. */
export function inputDigest(input: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(input ?? null))
    .digest('hex');
}
