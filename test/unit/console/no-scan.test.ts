/**
 * The console's pages read what they show, never the whole state table: a
 * scan reads every item of it (every conversation of every run), so a page
 * that scanned grew with all history. The one scan allowed is the first read
 * of a table from before the approvals index (it lists what is there, once).
 */
import { T0, consoleHarness, pendingRefund, signIn } from './console-harness';

test('home, approvals, runs and a run page, for an admin and for an approver, scan nothing after the first read', async () => {
  const h = consoleHarness();
  const approvalId = await pendingRefund(h);
  const runId = 'run-1';
  h.executions.add(runId, 'support-desk', 'RUNNING', new Date(T0.getTime() - 60_000));
  const scans: string[] = [];
  const scan = h.state.scan.bind(h.state);
  h.state.scan = async (options) => {
    scans.push(options?.pkPrefix ?? '(all)');
    return scan(options);
  };
  const maya = await signIn(h, 'maya@kestrel.example');
  const sam = await signIn(h, 'sam@kestrel.example');
  expect((await maya.get('/console')).status).toBe(200);
  expect(scans).toEqual(['approval#']);
  scans.length = 0;
  for (const b of [maya, sam])
    for (const path of ['/console', '/console/approvals', `/console/approvals/${approvalId}`, '/console/runs', `/console/runs/${runId}`]) {
      const page = await b.get(path);
      expect([path, page.status]).toEqual([path, 200]);
    }
  expect(scans).toEqual([]);
});
