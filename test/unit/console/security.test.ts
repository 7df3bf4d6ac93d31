/**
 * Who sees what, CSRF on every state-changing form, and pages that keep
 * anything typed by people, agents or senders inert.
 */
import { CONSOLE_LOOK } from '../../../shared/console/pages/console-look';
import { PAGE_HEADERS, PAGE_SCRIPT } from '../../../shared/look/page';
import { stylesAllowed } from '../../support/page-policy';

const PAGE_CSP = CONSOLE_LOOK.headers['content-security-policy'];
import { Browser, consoleHarness, csrfOf, pendingRefund, signIn } from './console-harness';

describe('roles', () => {
  test('an approver who is not admin sees their approval and its run, and gets 403 (audited) on anything else', async () => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    h.executions.add('run-2', 'support-desk', 'FAILED', new Date('2026-12-06T09:30:00Z'));
    const id = await pendingRefund(h);
    const sam = await signIn(h, 'sam@kestrel.example');
    expect((await sam.get(`/console/approvals/${id}`)).status).toBe(200);
    expect((await sam.get('/console/runs/run-1')).status).toBe(200);
    const runs = await sam.get('/console/runs');
    expect(runs.html).toContain('run-1');
    expect(runs.html).not.toContain('run-2');

    const other = await sam.get('/console/runs/run-2');
    expect(other.status).toBe(403);
    // A non-admin cannot tell an unknown run from someone else's.
    expect((await sam.get('/console/runs/no-such-run')).status).toBe(403);
    const home = await sam.get('/console');
    expect(home.html).not.toContain('/console/workflows/support-desk/pause');
    const csrf = csrfOf(home.html);
    expect((await sam.post('/console/workflows/support-desk/pause', { csrf })).status).toBe(403);
    expect((await sam.post('/console/agents/triage/suspend', { csrf })).status).toBe(403);
    expect((await sam.post('/console/runs/run-1/stop', { csrf })).status).toBe(403);
    expect(h.switched).toEqual([]);
    expect(await h.state.scan({ pkPrefix: 'control#' })).toEqual([]);
    expect(h.executions.stopped).toEqual([]);
    const refusals = (await h.deps.audit.records('console-2026-12-06')).filter((r) => r.data.what === 'forbidden');
    expect(refusals.map((r) => [r.data.person, r.data.path])).toEqual([
      ['sam', '/console/runs/run-2'],
      ['sam', '/console/runs/no-such-run'],
      ['sam', '/console/workflows/support-desk/pause'],
      ['sam', '/console/agents/triage/suspend'],
      ['sam', '/console/runs/run-1/stop'],
    ]);
  });

  test("someone not asked gets 403 on another person's approval and cannot decide it", async () => {
    const h = consoleHarness();
    const id = await pendingRefund(h);
    const priya = await signIn(h, 'priya@kestrel.example');
    expect((await priya.get(`/console/approvals/${id}`)).status).toBe(403);
    const home = await priya.get('/console');
    expect((await priya.post(`/console/approvals/${id}`, { csrf: csrfOf(home.html), decision: 'approve' })).status).toBe(403);
    expect((await h.approvalDeps.store.get(id))!.status).toBe('pending');
    expect(h.resumed).toEqual([]);
  });

  test('an admin sees every run and approval but decides only where asked', async () => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    const id = await pendingRefund(h);
    const maya = await signIn(h, 'maya@kestrel.example');
    const page = await maya.get(`/console/approvals/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('you are not one of its approvers');
    const r = await maya.post(`/console/approvals/${id}`, { csrf: csrfOf(page.html), decision: 'approve' });
    expect(r.status).toBe(403);
    expect((await h.approvalDeps.store.get(id))!.status).toBe('pending');
  });
});

describe('CSRF', () => {
  test.each([
    ['missing', undefined],
    ['wrong', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('a %s token → 403 and nothing changes', async (_what, csrf) => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    const id = await pendingRefund(h);
    const maya = await signIn(h, 'maya@kestrel.example');
    const sam = await signIn(h, 'sam@kestrel.example');
    const form: Record<string, string> = csrf === undefined ? {} : { csrf };
    expect((await sam.post(`/console/approvals/${id}`, { ...form, decision: 'approve' })).status).toBe(403);
    expect((await maya.post('/console/workflows/support-desk/pause', form)).status).toBe(403);
    expect((await maya.post('/console/agents/triage/suspend', form)).status).toBe(403);
    expect((await maya.post('/console/runs/run-1/stop', form)).status).toBe(403);
    expect((await maya.post('/console/sign-out', form)).status).toBe(403);
    expect((await h.approvalDeps.store.get(id))!.status).toBe('pending');
    expect(await h.approvalDeps.store.decisions(id)).toEqual([]);
    expect(h.switched).toEqual([]);
    expect(await h.state.scan({ pkPrefix: 'control#' })).toEqual([]);
    expect(h.executions.stopped).toEqual([]);
    // Still signed in: the forged sign-out did nothing.
    expect((await maya.get('/console')).status).toBe(200);
  });

  test("one person's token does not work in another's session", async () => {
    const h = consoleHarness();
    const maya = await signIn(h, 'maya@kestrel.example');
    const sam = await signIn(h, 'sam@kestrel.example');
    const samToken = csrfOf((await sam.get('/console')).html);
    expect((await maya.post('/console/agents/triage/suspend', { csrf: samToken })).status).toBe(403);
  });

  test('a form that is not form-encoded is refused', async () => {
    const h = consoleHarness();
    const maya = await signIn(h, 'maya@kestrel.example');
    const res = await h.app.request('https://aios.example/console/agents/triage/suspend', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: [...maya.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await h.state.scan({ pkPrefix: 'control#' })).toEqual([]);
  });
});

describe('inert content', () => {
  const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'`';

  test('HTML in the agent reason, the tool input and a comment is escaped; every page carries the strict CSP', async () => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    const id = await pendingRefund(h, {
      approvers: ['sam', 'priya'],
      quorum: 2,
      call: { toolUseId: 'tu-1', name: 'tickets.reply', input: { ticketId: EVIL, body: EVIL }, reason: EVIL },
    });
    const sam = await signIn(h, 'sam@kestrel.example');
    const page = await sam.get(`/console/approvals/${id}`);
    await sam.post(`/console/approvals/${id}`, { csrf: csrfOf(page.html), decision: 'approve', comment: EVIL });
    const paths = [
      '/console',
      '/console/approvals',
      `/console/approvals/${id}`,
      '/console/runs',
      '/console/runs/run-1',
      '/console/sign-in',
      '/console/nowhere',
    ];
    for (const p of paths) {
      const r = await sam.get(p);
      expect(r.res.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expect(stylesAllowed(r.html, PAGE_CSP)).toBe(true);
      // The one script a page may carry is the page script the CSP allows by hash; nothing typed becomes markup.
      expect(r.html.replace(`<script>${PAGE_SCRIPT}</script>`, '')).not.toMatch(/<script|<img|onerror=alert\(2\)>/i);
    }
    expect(PAGE_CSP).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(PAGE_CSP).not.toContain('unsafe');
    // The console's stylesheet is its own (the shared look and its additions), so approval pages' policy would not apply it.
    expect(PAGE_CSP).not.toBe(PAGE_HEADERS['content-security-policy']);
    const after = await sam.get(`/console/approvals/${id}`);
    expect(after.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(after.html).not.toContain('style="');
  });

  test('no page shows a task token', async () => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    const id = await pendingRefund(h, { taskToken: 'SECRET-TASK-TOKEN-123' });
    const sam = await signIn(h, 'sam@kestrel.example');
    for (const p of ['/console', '/console/approvals', `/console/approvals/${id}`, '/console/runs', '/console/runs/run-1']) {
      expect((await sam.get(p)).html).not.toContain('SECRET-TASK-TOKEN-123');
    }
  });
});

test('a browser that never signed in is sent to the sign-in page, and its forms change nothing', async () => {
  const h = consoleHarness();
  const id = await pendingRefund(h);
  const stranger = new Browser(h);
  for (const p of ['/console', '/console/runs', `/console/approvals/${id}`])
    expect((await stranger.get(p)).res.headers.get('location')).toBe('/console/sign-in');
  expect((await stranger.post(`/console/approvals/${id}`, { decision: 'approve' })).status).toBe(303);
  expect((await h.approvalDeps.store.get(id))!.status).toBe('pending');
});
