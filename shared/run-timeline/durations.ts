/** Short human durations for timelines and run lists. */

/** `0.120s`, `59.9s`, `3m 12s`, `2h 05m`, `1d 02h`. */
export function formatDuration(ms: number): string {
  const neg = ms < 0;
  const abs = Math.abs(ms);
  const sign = neg ? '-' : '';
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(3)}s`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)}s`;
  const s = Math.floor(abs / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${sign}${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** `+3m 12s`, right-aligned so that a column of offsets lines up. */
export function formatOffset(ms: number, width = 9): string {
  return `+${formatDuration(ms)}`.padStart(width);
}
