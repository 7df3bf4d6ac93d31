/**
 * A small bar chart of one number per day, as SVG rendered on the server
 * (no script; colours come from presentation attributes and the look's
 * stylesheet, which the page's CSP allows). Each bar carries a <title>, so
 * hovering or a screen reader gives the day and the value.
 */
import { escapeHtml } from './layout';

export interface DailyPoint {
  day: string;
  /** null: nothing to show that day (e.g. a rate with no ended runs). */
  value: number | null;
}

const WIDTH = 300;
// The first and last day are HTML under the picture, not SVG text: the picture is scaled to its card (about 180 px of
// its 300), and 10px SVG text came out 6px high.
const HEIGHT = 64;
const TOP = 4;

/** @example dailyChart('Runs per day', points, (v) => String(v)) */
export function dailyChart(label: string, points: readonly DailyPoint[], format: (value: number) => string, options: { max?: number } = {}): string {
  const values = points.map((p) => p.value ?? 0);
  const max = options.max ?? Math.max(0, ...values);
  const slot = WIDTH / Math.max(1, points.length);
  const bar = Math.max(1, slot * 0.75);
  const bars = points
    .map((p, i) => {
      const v = p.value ?? 0;
      const h = max > 0 ? Math.max(p.value ? 1 : 0, ((HEIGHT - TOP) * v) / max) : 0;
      const x = (i * slot + (slot - bar) / 2).toFixed(1);
      const text = `${p.day}: ${p.value === null ? 'no data' : format(p.value)}`;
      return `<rect x="${x}" y="${(HEIGHT - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" class="bar"><title>${escapeHtml(text)}</title></rect>`;
    })
    .join('');
  const last = points[points.length - 1];
  const first = points[0];
  // A chart of days with nothing to show (a median time before any decision) says so, where "max 0 s" read as a measurement.
  const scale = points.some((p) => p.value !== null) ? `max ${format(max)}` : 'no data yet';
  return `<figure class="chart"><figcaption>${escapeHtml(label)} <span class="muted small">${escapeHtml(scale)}</span></figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT + 1}" role="img" aria-label="${escapeHtml(`${label}, ${first?.day ?? ''} to ${last?.day ?? ''}`)}" xmlns="http://www.w3.org/2000/svg"><line x1="0" y1="${HEIGHT}" x2="${WIDTH}" y2="${HEIGHT}" class="axis"/>${bars}</svg><div class="ticks" aria-hidden="true"><span>${escapeHtml(first?.day.slice(5) ?? '')}</span><span>${escapeHtml(last?.day.slice(5) ?? '')}</span></div></figure>`;
}
