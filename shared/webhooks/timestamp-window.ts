/** Default replay window: the 5 minutes Stripe, Slack and HubSpot document. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** True when `timestampMs` is within `toleranceSeconds` of `now`, either side (clock skew cuts both ways). */
export function withinWindow(timestampMs: number, now: Date, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  return Number.isFinite(timestampMs) && Math.abs(now.getTime() - timestampMs) <= toleranceSeconds * 1000;
}

/** Parses a decimal timestamp in seconds (or milliseconds); NaN when malformed. */
export function parseEpoch(text: string | undefined, unit: 'seconds' | 'milliseconds'): number {
  if (!text || !/^\d{1,16}$/.test(text.trim())) return Number.NaN;
  const n = Number(text.trim());
  return unit === 'seconds' ? n * 1000 : n;
}

/** Parses an ISO-8601 timestamp with a zone (Zendesk); NaN when malformed. */
export function parseIso(text: string | undefined): number {
  if (!text || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) return Number.NaN;
  return Date.parse(text.trim());
}
