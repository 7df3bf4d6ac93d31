/** RFC 3339 timestamps as ASL accepts them (uppercase T, Z or a numeric offset). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch, or null when `value` is not an ASL timestamp. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function isTimestamp(value: unknown): boolean {
  return parseTimestamp(value) !== null;
}
