/**
 * Sign-in by emailed link, bound to the browser that asked: the link works
 * once, for 15 minutes, only in that browser; scanners that fetch (and even
 * submit) the page get no session and leave the link usable.
 */
import { Browser, consoleHarness, csrfOf, signIn, signInLinkOf } from './console-harness';

test('the person signs in from the emailed link and lands on the home page', async () => {
  const h = consoleHarness();
  const b = new Browser(h);
  const form = await b.get('/console/sign-in');
  expect(form.status).toBe(200);
  expect(form.res.headers.get('set-cookie')).toMatch(/aios_console_browser=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Lax/);
  const sent = await b.post('/console/sign-in', { email: 'Maya@Kestrel.example', csrf: csrfOf(form.html) });
  expect(sent.html).toContain('a sign-in link is on its way');
  expect(h.mail).toHaveLength(1);
  expect(h.mail[0]).toMatchObject({ to: 'maya@kestrel.example', subject: 'Sign in to the Kestrel Coffee Co. AIOS console' });

  const link = signInLinkOf(h, 'maya@kestrel.example');
  const page = await b.get(link);
  expect(page.status).toBe(200);
  expect(page.html).toContain('<button type="submit">Sign in</button>');
  const done = await b.post(link, { csrf: csrfOf(page.html) });
  expect(done.status).toBe(303);
  expect(done.res.headers.get('location')).toBe('/console');
  expect(done.res.headers.get('set-cookie')).toMatch(/aios_console_session=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=28800; Secure/);
  const home = await b.get('/console');
  expect(home.status).toBe(200);
  expect(home.html).toContain('What needs you, Maya');
  // The session is stored by hash, never by the cookie value.
  const session = b.jar.get('aios_console_session')!;
  expect(JSON.stringify(await h.state.scan({ pkPrefix: 'console-session#' }))).not.toContain(session);
  expect((await h.deps.audit.records('console-2026-12-06')).map((r) => [r.kind, r.data.what])).toEqual([['console.access', 'signed_in']]);
});

test('an unknown address gets the same answer and no email', async () => {
  const h = consoleHarness();
  const b = new Browser(h);
  const form = await b.get('/console/sign-in');
  const known = await b.post('/console/sign-in', { email: 'sam@kestrel.example', csrf: csrfOf(form.html) });
  const unknown = await b.post('/console/sign-in', { email: 'mallory@evil.example', csrf: csrfOf(form.html) });
  expect(unknown.status).toBe(known.status);
  expect(unknown.html.replace('mallory@evil.example', 'X')).toBe(known.html.replace('sam@kestrel.example', 'X'));
  expect(h.mail.map((m) => m.to)).toEqual(['sam@kestrel.example']);
});

test('the email form without its form token sends nothing', async () => {
  const h = consoleHarness();
  const b = new Browser(h);
  await b.get('/console/sign-in');
  const r = await b.post('/console/sign-in', { email: 'maya@kestrel.example', csrf: 'forged' });
  expect(r.html).toContain('The form had expired');
  expect(h.mail).toHaveLength(0);
});

describe('the link gives no session when', () => {
  async function asked() {
    const h = consoleHarness();
    const b = new Browser(h);
    const form = await b.get('/console/sign-in');
    await b.post('/console/sign-in', { email: 'maya@kestrel.example', csrf: csrfOf(form.html) });
    return { h, b, link: signInLinkOf(h, 'maya@kestrel.example') };
  }

  test('it is used a second time', async () => {
    const { h, b, link } = await asked();
    const page = await b.get(link);
    expect((await b.post(link, { csrf: csrfOf(page.html) })).status).toBe(303);
    const again = new Browser(h);
    for (const [k, v] of b.jar) if (k === 'aios_console_browser') again.jar.set(k, v);
    const reuse = await again.post(link, { csrf: csrfOf(page.html) });
    expect(reuse.status).toBe(410);
    expect(reuse.html).toContain('already used');
    expect(again.jar.has('aios_console_session')).toBe(false);
    expect((await again.get(link)).status).toBe(410);
  });

  test('it is older than 15 minutes', async () => {
    const { h, b, link } = await asked();
    const page = await b.get(link);
    h.clock.now = new Date(h.clock.now.getTime() + 15 * 60_000);
    const late = await b.post(link, { csrf: csrfOf(page.html) });
    expect(late.status).toBe(410);
    expect(late.html).toContain('expired');
    expect(b.jar.has('aios_console_session')).toBe(false);
  });

  test('a mail scanner fetches it (GET), and the person can still use it', async () => {
    const { h, b, link } = await asked();
    const scanner = new Browser(h);
    const scanned = await scanner.get(link);
    expect(scanned.status).toBe(403);
    expect(scanned.html).toContain('works only in the browser where the sign-in was asked for');
    expect(scanner.jar.has('aios_console_session')).toBe(false);
    const page = await b.get(link);
    expect((await b.post(link, { csrf: csrfOf(page.html) })).status).toBe(303);
  });

  test('a mail scanner fetches it and submits the form it finds (GET then auto-POST), and the person can still use it', async () => {
    const { h, b, link } = await asked();
    const scanner = new Browser(h);
    const scanned = await scanner.get(link);
    // The scanner submits every form on the page it got, with every hidden field it found.
    const posted = await scanner.post(link, { csrf: csrfOf(scanned.html) });
    expect(posted.status).toBe(403);
    expect(scanner.jar.has('aios_console_session')).toBe(false);
    // Even with the page's real form token (as if it had seen the person's page), it lacks the browser cookie.
    const personPage = await b.get(link);
    expect((await scanner.post(link, { csrf: csrfOf(personPage.html) })).status).toBe(403);
    expect((await b.post(link, { csrf: csrfOf(personPage.html) })).status).toBe(303);
  });

  test('it is opened in another browser: that browser is offered a fresh link', async () => {
    const { h, link } = await asked();
    const other = new Browser(h);
    await other.get('/console/sign-in');
    const opened = await other.get(link);
    expect(opened.status).toBe(403);
    const fresh = await other.post('/console/sign-in', { email: 'maya@kestrel.example', csrf: csrfOf(opened.html) });
    expect(fresh.html).toContain('on its way');
    const link2 = signInLinkOf(h, 'maya@kestrel.example');
    expect(link2).not.toBe(link);
    const page = await other.get(link2);
    expect((await other.post(link2, { csrf: csrfOf(page.html) })).status).toBe(303);
  });

  test('the token is made up', async () => {
    const { b } = await asked();
    expect((await b.get('/console/sign-in/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await b.post('/console/sign-in/not-a-token', { csrf: 'x' })).status).toBe(404);
  });
});

test('after signing out, the old session cookie leads to the sign-in page', async () => {
  const h = consoleHarness();
  const b = await signIn(h, 'maya@kestrel.example');
  const oldSession = b.jar.get('aios_console_session')!;
  const home = await b.get('/console');
  const out = await b.post('/console/sign-out', { csrf: csrfOf(home.html) });
  expect(out.status).toBe(303);
  expect(out.res.headers.get('location')).toBe('/console/sign-in');
  const replay = new Browser(h);
  replay.jar.set('aios_console_session', oldSession);
  const r = await replay.get('/console');
  expect(r.status).toBe(303);
  expect(r.res.headers.get('location')).toBe('/console/sign-in');
  expect((await replay.get('/console/runs')).res.headers.get('location')).toBe('/console/sign-in');
});

test('a session ends after eight hours', async () => {
  const h = consoleHarness();
  const b = await signIn(h, 'sam@kestrel.example');
  h.clock.now = new Date(h.clock.now.getTime() + 8 * 3600_000);
  expect((await b.get('/console')).res.headers.get('location')).toBe('/console/sign-in');
});
