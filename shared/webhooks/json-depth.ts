/**
 * How deeply a parsed JSON value nests. Real vendor payloads nest under ten
 * levels; a body nested thousands deep is valid JSON that breaks recursive
 * code downstream (serialisers, pattern matching, the engine), so the
 * pipeline refuses it up front with a 4xx — a 5xx would be retried forever.
 */

/** Deepest nesting a webhook body may have (objects and arrays each count one level). */
export const MAX_WEBHOOK_NESTING = 64;

/** True when `value` nests deeper than `limit` levels. Iterative: safe for any depth. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
