/** The console's runs list gives each run's duration as `aios runs` prints it: a 0.329 s run is not "0s". */
import { consoleHarness, signIn, T0 } from './console-harness';

it('durations read as in aios runs, under a second and over a minute', async () => {
  const h = consoleHarness();
  h.executions.add('run-quick', 'support-desk', 'SUCCEEDED', T0).stoppedAt = new Date(T0.getTime() + 329);
  h.executions.add('run-slow', 'support-desk', 'SUCCEEDED', T0).stoppedAt = new Date(T0.getTime() + 79_000);
  const maya = await signIn(h, 'maya@kestrel.example');
  const page = await maya.get('/console/runs');
  expect(page.html).toContain('<td class="opt">0.329s</td>');
  expect(page.html).toContain('<td class="opt">1m 19s</td>');
});
