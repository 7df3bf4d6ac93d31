/** A daily chart's first and last day are page text, at the page's size, not SVG text scaled down with the picture; a chart with no data says so. */
import { dailyChart } from '../../../shared/console/pages/daily-chart';

it('the days under a chart are HTML after its picture', () => {
  const html = dailyChart(
    'Runs',
    [
      { day: '2026-11-08', value: 1 },
      { day: '2026-12-07', value: 3 },
    ],
    String,
  );
  expect(html).not.toMatch(/<text/);
  expect(html).toMatch(/<\/svg><div class="ticks" aria-hidden="true"><span>11-08<\/span><span>12-07<\/span><\/div><\/figure>$/);
  expect(html).toContain('aria-label="Runs, 2026-11-08 to 2026-12-07"');
});

it('a chart with nothing to show on any day says so, not "max 0 s"; a chart of zeros still shows its scale', () => {
  const days = (value: number | null) => [
    { day: '2026-11-08', value },
    { day: '2026-12-07', value },
  ];
  const empty = dailyChart('Median time to decision', days(null), (v) => `${v} s`);
  expect(empty).toContain('<span class="muted small">no data yet</span>');
  expect(empty).not.toContain('max');
  expect(dailyChart('Runs', days(0), String)).toContain('<span class="muted small">max 0</span>');
});
