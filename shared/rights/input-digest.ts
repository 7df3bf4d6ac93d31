/**
 * The digest that binds an approval to the exact tool input: sha256 (hex) of
 * the input's canonical JSON (object keys sorted at every level). The tool
 * runner recomputes it before running an approved call and refuses a
 * mismatch, so an approval can never be reused for a changed call.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted recursively; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** sha256 hex of the canonical JSON of `input`. */
export function inputDigest(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input ?? null)).digest('hex');
}
