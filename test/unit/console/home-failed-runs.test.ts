/**
 * The home page's number of failed runs and its list of them agree: a run
 * that failed or timed out is both counted and listed, one a person stopped
 * is neither.
 */
import { T0, consoleHarness, signIn } from './console-harness';

test('failed and timed-out runs are counted and listed; a stopped run is not a failure', async () => {
  const h = consoleHarness();
  const at = (minutes: number) => new Date(T0.getTime() - minutes * 60_000);
  h.executions.add('run-failed', 'support-desk', 'FAILED', at(30));
  h.executions.add('run-timed-out', 'weekly-review', 'TIMED_OUT', at(20));
  h.executions.add('run-stopped', 'support-desk', 'ABORTED', at(10));
  h.executions.add('run-done', 'sales-follow-up', 'SUCCEEDED', at(5));
  const b = await signIn(h, 'maya@kestrel.example');
  const home = await b.get('/console');
  expect(home.status).toBe(200);
  expect(home.html).toContain('<b>4</b>runs started');
  expect(home.html).toContain('<b>2</b>failed');
  const failedList = home.html.slice(home.html.indexOf('<h2>Failed runs</h2>'));
  const listed = [...failedList.slice(0, failedList.indexOf('<h2>', 5)).matchAll(/run-[a-z-]+/g)].map((m) => m[0]);
  expect([...new Set(listed)]).toEqual(['run-timed-out', 'run-failed']);
});
