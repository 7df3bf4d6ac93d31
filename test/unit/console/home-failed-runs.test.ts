/**
 * The home page's number of failed runs and its list of them agree: a run
 * that failed or timed out is both counted and listed, one a person stopped
 * is neither.
 */
import { UsageLedger } from '../../../shared/agents/usage-ledger';
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

test("today's numbers: started, finished, failed and running runs of today only, and every run's model spend today", async () => {
  const h = consoleHarness();
  const at = (minutes: number) => new Date(T0.getTime() - minutes * 60_000);
  h.executions.add('yesterday-failed', 'support-desk', 'FAILED', at(24 * 60));
  h.executions.add('yesterday-running', 'support-desk', 'RUNNING', at(24 * 60));
  for (let i = 0; i < 7; i++) h.executions.add(`done-${i}`, 'sales-follow-up', 'SUCCEEDED', at(100 + i));
  h.executions.add('failed', 'support-desk', 'FAILED', at(30));
  h.executions.add('stopped', 'weekly-review', 'ABORTED', at(20));
  h.executions.add('running', 'weekly-review', 'RUNNING', at(2));
  const ledger = new UsageLedger(h.state);
  const call = { agentId: 'triage', turn: 1, attempt: 0, modelId: 'm', stopReason: 'end_turn', inputTokens: 10, outputTokens: 2, priced: true, latencyMs: 5 };
  await ledger.record('done-0', { ...call, costUsd: 0.25, at: at(100).toISOString() });
  await ledger.record('running', { ...call, costUsd: 1.5, at: at(1).toISOString() });
  await ledger.record('yesterday-running', { ...call, costUsd: 0.5, at: at(9 * 60).toISOString() }); // today, for a run started yesterday
  await ledger.record('yesterday-running', { ...call, costUsd: 9, at: at(24 * 60).toISOString() });
  const home = await (await signIn(h, 'maya@kestrel.example')).get('/console');
  const numbers = home.html.slice(home.html.indexOf('<h2>Today</h2>'), home.html.indexOf('<h2>Failed runs</h2>'));
  expect(numbers).toContain('<b>10</b>runs started');
  expect(numbers).toContain('<b>7</b>finished');
  expect(numbers).toContain('<b>1</b>failed');
  expect(numbers).toContain('<b>$2.25</b>model spend');
});
