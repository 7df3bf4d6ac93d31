/**
 * The console's routes over the domain in shared/console: read the cookies
 * and the form, find the signed-in person, check the CSRF token of every
 * state-changing form, call the domain, answer with its page or redirect.
 * A plain table of routes (no router library: a dozen paths), answered for
 * the Lambda from API Gateway events (console-function.ts) and, through that
 * Lambda handler, for the local runtime; tests call it with fetch `Request`s.
 */
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
import { cookieOf, fetchResponse, requestOfFetch, type ConsoleRequest } from './console-request';
import { formFieldsOnce } from '../../shared/look/form-fields';

const MAX_FORM_BYTES = 16 * 1024;

class FormRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function formOf(request: ConsoleRequest): Record<string, string> {
  if (!request.contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    throw new FormRefusedError(415, 'Send the form from the console page.');
  if (Buffer.byteLength(request.body) > MAX_FORM_BYTES) throw new FormRefusedError(413, 'The form is too large.');
  const fields = formFieldsOnce(request.body);
  if (!fields) throw new FormRefusedError(400, 'A field of the form was sent twice.');
  return fields;
}

/** A request with the route's path parameters (percent-decoded). */
interface Routed extends ConsoleRequest {
  params: Record<string, string>;
}

type RouteAnswer = (request: Routed) => Promise<ConsoleResponse>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  names: string[];
  answer: RouteAnswer;
}

/** `/console/runs/:runId` or `/console/workflows/:id/:action{pause|resume}` as a pattern over the whole path. */
function route(method: Route['method'], path: string, answer: RouteAnswer): Route {
  const names: string[] = [];
  const source = path.replace(/:(\w+)(?:\{([^}]+)\})?|[^:]+/g, (part, name?: string, choice?: string) => {
    if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(name);
    return choice ? `(${choice})` : '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, answer };
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** What the console answers, as a function of one request; `request` is the fetch form (tests, local tools). */
export interface ConsoleApp {
  answer(request: ConsoleRequest): Promise<ConsoleResponse>;
  request(input: string, init?: RequestInit): Promise<Response>;
}

/** Builds the console app over `deps` (built per request by `depsOf`, so tests and runtimes choose their adapters). */
export function createConsoleApp(depsOf: () => ConsoleDeps): ConsoleApp {
  /** A page for a signed-in person; anyone else goes to the sign-in page. */
  const reading =
    (fn: (deps: ConsoleDeps, viewer: Viewer, r: Routed) => Promise<ConsoleResponse>) =>
    async (r: Routed): Promise<ConsoleResponse> => {
      const deps = depsOf();
      const sessionId = cookieOf(r, SESSION_COOKIE);
      const viewer = await viewerOfSession(deps, sessionId);
      if (!viewer) return redirect('/console/sign-in', sessionId ? [clearCookie(SESSION_COOKIE, deps.secureCookies)] : []);
      return fn(deps, viewer, r);
    };

  /** A state-changing form of a signed-in person: the session's CSRF token must come with it. */
  const acting =
    (fn: (deps: ConsoleDeps, viewer: Viewer, form: Record<string, string>, r: Routed) => Promise<ConsoleResponse>) =>
    async (r: Routed): Promise<ConsoleResponse> => {
      const deps = depsOf();
      const sessionId = cookieOf(r, SESSION_COOKIE);
      const viewer = await viewerOfSession(deps, sessionId);
      if (!viewer) return redirect('/console/sign-in', sessionId ? [clearCookie(SESSION_COOKIE, deps.secureCookies)] : []);
      const form = formOf(r);
      if (!sameSecret(form.csrf ?? '', viewer.csrf))
        return forbidden(deps, viewer, r.path, 'The form did not come from this console session (missing or wrong CSRF token).', 'action');
      return fn(deps, viewer, form, r);
    };

  const query = (r: Routed) => Object.fromEntries(r.query);
  const home = reading((deps, viewer) => showHome(deps, viewer));
  const routes: Route[] = [
    route('GET', '/console/sign-in', async (r) => showSignInForm(depsOf(), cookieOf(r, BROWSER_COOKIE))),
    route('POST', '/console/sign-in', async (r) => requestSignIn(depsOf(), cookieOf(r, BROWSER_COOKIE), formOf(r))),
    route('GET', '/console/sign-in/:token', async (r) => showSignInLink(depsOf(), r.params.token, cookieOf(r, BROWSER_COOKIE))),
    route('POST', '/console/sign-in/:token', async (r) => completeSignIn(depsOf(), r.params.token, cookieOf(r, BROWSER_COOKIE), formOf(r))),
    route(
      'POST',
      '/console/sign-out',
      acting(async (deps, viewer, _form, r) => signOut(deps, cookieOf(r, SESSION_COOKIE), viewer)),
    ),
    route('GET', '/console', home),
    route('GET', '/console/', home),
    route(
      'GET',
      '/console/runs',
      reading((deps, viewer, r) => showRuns(deps, viewer, query(r))),
    ),
    route(
      'GET',
      '/console/runs/:runId',
      reading((deps, viewer, r) => showRun(deps, viewer, r.params.runId, query(r))),
    ),
    route(
      'POST',
      '/console/runs/:runId/stop',
      acting((deps, viewer, form, r) => stopRun(deps, viewer, r.params.runId, form)),
    ),
    route(
      'GET',
      '/console/rights',
      reading((deps, viewer, r) => showRights(deps, viewer, query(r))),
    ),
    route(
      'GET',
      '/console/audit',
      reading((deps, viewer, r) => showAudit(deps, viewer, query(r))),
    ),
    route(
      'GET',
      '/console/knowledge',
      reading((deps, viewer, r) => showKnowledge(deps, viewer, query(r))),
    ),
    route(
      'POST',
      '/console/knowledge/retire',
      acting((deps, viewer, form) => retireKnowledge(deps, viewer, form)),
    ),
    route(
      'GET',
      '/console/outcomes',
      reading((deps, viewer) => showOutcomes(deps, viewer)),
    ),
    route(
      'GET',
      '/console/approvals',
      reading((deps, viewer) => listApprovals(deps, viewer)),
    ),
    route(
      'GET',
      '/console/approvals/:id',
      reading((deps, viewer, r) => showApproval(deps, viewer, r.params.id)),
    ),
    route(
      'POST',
      '/console/approvals/:id',
      acting((deps, viewer, form, r) => decideApproval(deps, viewer, r.params.id, form)),
    ),
    route(
      'GET',
      '/console/workflows/:id',
      reading((deps, viewer, r) => showWorkflow(deps, viewer, r.params.id)),
    ),
    route(
      'POST',
      '/console/workflows/:id/:action{pause|resume}',
      acting((deps, viewer, form, r) => steerWorkflow(deps, viewer, r.params.id, r.params.action as 'pause' | 'resume', form)),
    ),
    route(
      'POST',
      '/console/agents/:id/:action{suspend|resume}',
      acting((deps, viewer, form, r) => steerAgent(deps, viewer, r.params.id, r.params.action as 'suspend' | 'resume', form)),
    ),
  ];

  async function answer(request: ConsoleRequest): Promise<ConsoleResponse> {
    // HEAD is answered as GET, without the body (console-request.ts drops it).
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    try {
      for (const r of routes) {
        const match = r.method === method ? r.pattern.exec(request.path) : null;
        if (match) return await r.answer({ ...request, params: Object.fromEntries(r.names.map((name, i) => [name, decoded(match[i + 1])])) });
      }
      return page(404, noticePage(undefined, 'Not found', 'There is no such console page.'));
    } catch (error) {
      if (error instanceof FormRefusedError) return page(error.status, noticePage(undefined, 'Form not accepted', `${error.message} Nothing was changed.`));
      // A search or a listing changes nothing either way: only a refused form says nothing was changed.
      if (error instanceof ConsoleBadInputError)
        return page(400, noticePage(undefined, 'Not understood', method === 'POST' ? `${error.message} Nothing was changed.` : error.message));
      // Details go to the function's log, never to the page.
      console.error(error);
      return page(500, noticePage(undefined, 'Something went wrong', 'The console could not answer this request. Try again in a moment.'));
    }
  }

  return {
    answer,
    async request(input, init) {
      const request = await requestOfFetch(new Request(input, init));
      return fetchResponse(await answer(request), request.method);
    },
  };
}
