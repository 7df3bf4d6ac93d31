/**
 * The console's routes over the domain in shared/console: read the cookies
 * and the form, find the signed-in person, check the CSRF token of every
 * state-changing form, call the domain, answer with its page or redirect.
 * A Hono app, so the same routes serve the Lambda (hono/aws-lambda) and,
 * through that Lambda handler, the local runtime.
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { PAGE_HEADERS } from '../../shared/look/page';
import { decideApproval, listApprovals, showApproval } from '../../shared/console/approvals-view';
import type { Viewer } from '../../shared/console/access';
import type { ConsoleDeps } from '../../shared/console/deps';
import { ConsoleBadInputError } from '../../shared/console/errors';
import { forbidden } from '../../shared/console/forbidden';
import { showAudit } from '../../shared/console/audit-view';
import { retireKnowledge, showKnowledge } from '../../shared/console/knowledge-view';
import { showHome } from '../../shared/console/home-view';
import { showOutcomes } from '../../shared/console/outcomes-view';
import { noticePage } from '../../shared/console/pages/layout';
import { BROWSER_COOKIE, SESSION_COOKIE, clearCookie, page, redirect, type ConsoleResponse } from '../../shared/console/response';
import { showRights } from '../../shared/console/rights-view';
import { showRun } from '../../shared/console/run-view';
import { showRuns } from '../../shared/console/runs-view';
import { sameSecret } from '../../shared/console/secret-token';
import { completeSignIn, requestSignIn, showSignInForm, showSignInLink, signOut, viewerOfSession } from '../../shared/console/sign-in';
import { showWorkflow } from '../../shared/console/workflow-view';
import { steerAgent, steerWorkflow, stopRun } from '../../shared/console/steering';

const MAX_FORM_BYTES = 16 * 1024;

class FormRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function respond(c: Context, r: ConsoleResponse): Response {
  const headers = new Headers(PAGE_HEADERS);
  for (const value of r.cookies ?? []) headers.append('set-cookie', value);
  if (r.location) headers.set('location', r.location);
  return new Response(c.req.method === 'HEAD' ? null : (r.html ?? null), { status: r.status, headers });
}

async function formOf(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new FormRefusedError(415, 'Send the form from the console page.');
  const body = await c.req.text();
  if (Buffer.byteLength(body) > MAX_FORM_BYTES) throw new FormRefusedError(413, 'The form is too large.');
  return Object.fromEntries(new URLSearchParams(body));
}

function queryOf(c: Context): Record<string, string> {
  return Object.fromEntries(new URL(c.req.url).searchParams);
}

/** Builds the console app over `deps` (built per request by `depsOf`, so tests and runtimes choose their adapters). */
export function createConsoleApp(depsOf: () => ConsoleDeps): Hono {
  const app = new Hono();

  /** A page for a signed-in person; anyone else goes to the sign-in page. */
  const reading =
    (fn: (deps: ConsoleDeps, viewer: Viewer, c: Context) => Promise<ConsoleResponse>) =>
    async (c: Context): Promise<Response> => {
      const deps = depsOf();
      const sessionId = getCookie(c, SESSION_COOKIE);
      const viewer = await viewerOfSession(deps, sessionId);
      if (!viewer) return respond(c, redirect('/console/sign-in', sessionId ? [clearCookie(SESSION_COOKIE, deps.secureCookies)] : []));
      return respond(c, await fn(deps, viewer, c));
    };

  /** A state-changing form of a signed-in person: the session's CSRF token must come with it. */
  const acting =
    (fn: (deps: ConsoleDeps, viewer: Viewer, form: Record<string, string>, c: Context) => Promise<ConsoleResponse>) =>
    async (c: Context): Promise<Response> => {
      const deps = depsOf();
      const sessionId = getCookie(c, SESSION_COOKIE);
      const viewer = await viewerOfSession(deps, sessionId);
      if (!viewer) return respond(c, redirect('/console/sign-in', sessionId ? [clearCookie(SESSION_COOKIE, deps.secureCookies)] : []));
      const form = await formOf(c);
      if (!sameSecret(form.csrf ?? '', viewer.csrf))
        return respond(
          c,
          await forbidden(deps, viewer, new URL(c.req.url).pathname, 'The form did not come from this console session (missing or wrong CSRF token).'),
        );
      return respond(c, await fn(deps, viewer, form, c));
    };

  app.get('/console/sign-in', async (c) => respond(c, showSignInForm(depsOf(), getCookie(c, BROWSER_COOKIE))));
  app.post('/console/sign-in', async (c) => respond(c, await requestSignIn(depsOf(), getCookie(c, BROWSER_COOKIE), await formOf(c))));
  app.get('/console/sign-in/:token', async (c) => respond(c, await showSignInLink(depsOf(), c.req.param('token'), getCookie(c, BROWSER_COOKIE))));
  app.post('/console/sign-in/:token', async (c) =>
    respond(c, await completeSignIn(depsOf(), c.req.param('token'), getCookie(c, BROWSER_COOKIE), await formOf(c))),
  );
  app.post(
    '/console/sign-out',
    acting(async (deps, viewer, _form, c) => signOut(deps, getCookie(c, SESSION_COOKIE), viewer)),
  );

  app.get(
    '/console',
    reading((deps, viewer) => showHome(deps, viewer)),
  );
  app.get(
    '/console/',
    reading((deps, viewer) => showHome(deps, viewer)),
  );
  app.get(
    '/console/runs',
    reading((deps, viewer, c) => showRuns(deps, viewer, queryOf(c))),
  );
  app.get(
    '/console/runs/:runId',
    reading((deps, viewer, c) => showRun(deps, viewer, c.req.param('runId') ?? '', queryOf(c))),
  );
  app.post(
    '/console/runs/:runId/stop',
    acting((deps, viewer, form, c) => stopRun(deps, viewer, c.req.param('runId') ?? '', form)),
  );
  app.get(
    '/console/rights',
    reading((deps, viewer, c) => showRights(deps, viewer, queryOf(c))),
  );
  app.get(
    '/console/audit',
    reading((deps, viewer, c) => showAudit(deps, viewer, queryOf(c))),
  );
  app.get(
    '/console/knowledge',
    reading((deps, viewer, c) => showKnowledge(deps, viewer, queryOf(c))),
  );
  app.post(
    '/console/knowledge/retire',
    acting((deps, viewer, form) => retireKnowledge(deps, viewer, form)),
  );
  app.get(
    '/console/outcomes',
    reading((deps, viewer) => showOutcomes(deps, viewer)),
  );
  app.get(
    '/console/approvals',
    reading((deps, viewer) => listApprovals(deps, viewer)),
  );
  app.get(
    '/console/approvals/:id',
    reading((deps, viewer, c) => showApproval(deps, viewer, c.req.param('id') ?? '')),
  );
  app.post(
    '/console/approvals/:id',
    acting((deps, viewer, form, c) => decideApproval(deps, viewer, c.req.param('id') ?? '', form)),
  );
  app.get(
    '/console/workflows/:id',
    reading((deps, viewer, c) => showWorkflow(deps, viewer, c.req.param('id') ?? '')),
  );
  app.post(
    '/console/workflows/:id/:action{pause|resume}',
    acting((deps, viewer, form, c) => steerWorkflow(deps, viewer, c.req.param('id') ?? '', c.req.param('action') as 'pause' | 'resume', form)),
  );
  app.post(
    '/console/agents/:id/:action{suspend|resume}',
    acting((deps, viewer, form, c) => steerAgent(deps, viewer, c.req.param('id') ?? '', c.req.param('action') as 'suspend' | 'resume', form)),
  );

  app.notFound((c) => respond(c, page(404, noticePage(undefined, 'Not found', 'There is no such console page.'))));
  app.onError((error, c) => {
    if (error instanceof FormRefusedError)
      return respond(c, page(error.status, noticePage(undefined, 'Form not accepted', `${error.message} Nothing was changed.`)));
    if (error instanceof ConsoleBadInputError) return respond(c, page(400, noticePage(undefined, 'Not understood', `${error.message} Nothing was changed.`)));
    // Details go to the function's log, never to the page.
    console.error(error);
    return respond(c, page(500, noticePage(undefined, 'Something went wrong', 'The console could not answer this request. Try again in a moment.')));
  });
  return app;
}
