/**
 * Sign-in by emailed link, bound to the browser that asked, no passwords.
 *
 * 1. The sign-in page gives the browser a random HttpOnly binding cookie.
 * 2. Posting an email address (with a form token derived from that cookie)
 *    emails a link to that person — the answer is the same for addresses
 *    nobody here has, so the form tells nobody who works here.
 * 3. The link (GET) shows a "Sign in" button and changes nothing.
 * 4. Pressing it (POST) signs in only when the request carries the binding
 *    cookie the link was made for: a mail scanner, or the link opened on
 *    another device, gets no session and does not use the link up.
 * Links are single use (a conditional write) and last 15 minutes.
 */
import type { ApprovalPerson } from '../approvals/approval-service';
import type { ApprovalEmail } from '../approvals/render-email';
import { oneLine } from '../approvals/html';
import { viewerOf, type Viewer } from './access';
import { consoleChain, type ConsoleDeps } from './deps';
import { escapeHtml, publicPage } from './pages/layout';
import { BROWSER_COOKIE, SESSION_COOKIE, clearCookie, cookie, page, redirect, type ConsoleResponse } from './response';
import { browserFormToken, isTokenShaped, newSecretToken, sameSecret, tokenHash } from './secret-token';
import { SESSION_SECONDS } from './session-store';
import { SIGN_IN_LINK_SECONDS } from './sign-in-links';

/** The binding cookie lives a day: long enough to ask for a link and open it. */
const BROWSER_SECONDS = 24 * 60 * 60;

function browserCookie(deps: ConsoleDeps, id: string): string {
  // Lax, not Strict: the emailed link is opened from a mail client or webmail, a cross-site navigation.
  return cookie(BROWSER_COOKIE, id, { secure: deps.secureCookies, sameSite: 'Lax', maxAgeSeconds: BROWSER_SECONDS });
}

/** The browser's binding id, or a new one (with the cookie that sets it). */
function ensureBrowser(deps: ConsoleDeps, browserId: string | undefined): { id: string; cookies: string[] } {
  if (isTokenShaped(browserId)) return { id: browserId, cookies: [] };
  const id = newSecretToken();
  return { id, cookies: [browserCookie(deps, id)] };
}

function emailForm(browserId: string, intro = ''): string {
  return `${intro}<form method="post" action="/console/sign-in" class="card">
<input type="hidden" name="csrf" value="${escapeHtml(browserFormToken(browserId))}">
<p><label for="email">Your work email</label><br><input id="email" type="email" name="email" required autocomplete="email" size="32"></p>
<p><button type="submit">Email me a sign-in link</button></p>
<p class="muted small">The link works once, for 15 minutes, in this browser only.</p></form>`;
}

/** GET /console/sign-in */
export function showSignInForm(deps: ConsoleDeps, browserId: string | undefined, notice?: string): ConsoleResponse {
  const browser = ensureBrowser(deps, browserId);
  return page(
    200,
    publicPage('Sign in to the console', `${notice ? `<p class="notice">${escapeHtml(notice)}</p>` : ''}${emailForm(browser.id)}`),
    browser.cookies,
  );
}

export function renderSignInEmail(person: ApprovalPerson, link: string, businessName: string): ApprovalEmail {
  const minutes = SIGN_IN_LINK_SECONDS / 60;
  const subject = oneLine(`Sign in to the ${businessName} AIOS console`, 200);
  const text = [
    `Hello ${person.name},`,
    '',
    `Open this link in the browser where you asked to sign in, then press "Sign in":`,
    link,
    '',
    `It works once and for ${minutes} minutes. If you did not ask to sign in, ignore this email: nobody can use the link from another browser.`,
  ].join('\n');
  const html = `<!doctype html><html><body>
<p>Hello ${escapeHtml(person.name)},</p>
<p>Open this link in the browser where you asked to sign in, then press “Sign in”:</p>
<p><a href="${escapeHtml(link)}">Sign in to the console</a></p>
<p>It works once and for ${minutes} minutes. If you did not ask to sign in, ignore this email: nobody can use the link from another browser.</p>
</body></html>`;
  return { to: person.email, subject, text, html };
}

/** POST /console/sign-in with `email` and `csrf`. */
export async function requestSignIn(deps: ConsoleDeps, browserId: string | undefined, form: Record<string, string | undefined>): Promise<ConsoleResponse> {
  if (!isTokenShaped(browserId) || !sameSecret(form.csrf ?? '', browserFormToken(browserId))) {
    return showSignInForm(deps, browserId, 'The form had expired. Enter your email again.');
  }
  const email = (form.email ?? '').trim().toLowerCase();
  const person = deps.approvals.people.find((p) => p.email.toLowerCase() === email);
  if (person) {
    const token = await deps.signInLinks.create(person.id, browserId, deps.now());
    await deps.mailer.send(renderSignInEmail(person, `${deps.publicUrl}/console/sign-in/${token}`, deps.definition.name));
  }
  // The same answer either way: this form does not reveal who works here.
  return page(
    200,
    publicPage(
      'Check your email',
      `<p class="card">If <strong>${escapeHtml(email)}</strong> belongs to someone in this AI OS, a sign-in link is on its way. Open it in this browser within 15 minutes.</p><p><a href="/console/sign-in">Use another address</a></p>`,
    ),
  );
}

/** GET /console/sign-in/<token>: shows a button, changes nothing. */
export async function showSignInLink(deps: ConsoleDeps, token: string, browserId: string | undefined): Promise<ConsoleResponse> {
  const state = await deps.signInLinks.state(token, deps.now());
  if (state.kind !== 'usable') return linkUnusable(deps, browserId, state.kind);
  if (!isTokenShaped(browserId) || !sameSecret(tokenHash(browserId), state.link.browser)) return otherBrowser(deps, browserId);
  const person = deps.approvals.people.find((p) => p.id === state.link.personId);
  return page(
    200,
    publicPage(
      'Sign in',
      `<form method="post" class="card"><input type="hidden" name="csrf" value="${escapeHtml(browserFormToken(browserId))}">
<p>Sign in as <strong>${escapeHtml(person?.name ?? state.link.personId)}</strong>.</p><p><button type="submit">Sign in</button></p></form>`,
    ),
  );
}

function linkUnusable(deps: ConsoleDeps, browserId: string | undefined, kind: 'unknown' | 'used' | 'expired'): ConsoleResponse {
  const why =
    kind === 'used'
      ? 'This sign-in link was already used.'
      : kind === 'expired'
        ? 'This sign-in link has expired (links last 15 minutes).'
        : 'This sign-in link is not valid.';
  const browser = ensureBrowser(deps, browserId);
  return page(
    kind === 'unknown' ? 404 : 410,
    publicPage('Link no longer works', emailForm(browser.id, `<p class="notice bad">${escapeHtml(why)} Ask for a fresh one.</p>`)),
    browser.cookies,
  );
}

function otherBrowser(deps: ConsoleDeps, browserId: string | undefined): ConsoleResponse {
  const browser = ensureBrowser(deps, browserId);
  return page(
    403,
    publicPage(
      'Open the link where you asked for it',
      emailForm(
        browser.id,
        '<p class="notice bad">This link works only in the browser where the sign-in was asked for. To sign in here, send a fresh link to yourself.</p>',
      ),
    ),
    browser.cookies,
  );
}

/** POST /console/sign-in/<token>: the one request that creates a session. */
export async function completeSignIn(
  deps: ConsoleDeps,
  token: string,
  browserId: string | undefined,
  form: Record<string, string | undefined>,
): Promise<ConsoleResponse> {
  const now = deps.now();
  const state = await deps.signInLinks.state(token, now);
  if (state.kind !== 'usable') return linkUnusable(deps, browserId, state.kind);
  // Binding and form token are checked before the link is used, so a scanner's POST leaves it usable.
  if (!isTokenShaped(browserId) || !sameSecret(tokenHash(browserId), state.link.browser)) return otherBrowser(deps, browserId);
  if (!sameSecret(form.csrf ?? '', browserFormToken(browserId))) return otherBrowser(deps, browserId);
  const person = deps.approvals.people.find((p) => p.id === state.link.personId);
  if (!person) return linkUnusable(deps, browserId, 'unknown');
  if (!(await deps.signInLinks.use(token, now))) return linkUnusable(deps, browserId, 'used');
  const { id } = await deps.sessions.create(person.id, now);
  await deps.audit.append(consoleChain(now), 'console.access', { person: person.id, what: 'signed_in' }, now);
  return redirect('/console', [cookie(SESSION_COOKIE, id, { secure: deps.secureCookies, sameSite: 'Strict', maxAgeSeconds: SESSION_SECONDS })]);
}

/** The person behind a session cookie, or undefined (no session, signed out, expired, or no longer in the definition). */
export async function viewerOfSession(deps: ConsoleDeps, sessionId: string | undefined): Promise<Viewer | undefined> {
  const session = await deps.sessions.get(sessionId, deps.now());
  if (!session) return undefined;
  const person = deps.approvals.people.find((p) => p.id === session.personId);
  return person ? viewerOf(person, session.csrf) : undefined;
}

/** POST /console/sign-out (CSRF checked by the caller like every action). */
export async function signOut(deps: ConsoleDeps, sessionId: string | undefined, viewer: Viewer): Promise<ConsoleResponse> {
  await deps.sessions.revoke(sessionId);
  const now = deps.now();
  await deps.audit.append(consoleChain(now), 'console.access', { person: viewer.person.id, what: 'signed_out' }, now);
  return redirect('/console/sign-in', [clearCookie(SESSION_COOKIE, deps.secureCookies)]);
}
