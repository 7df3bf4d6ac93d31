/**
 * A refused page or action: 403 and an audit record of who tried what. Only a refused action says that nothing was
 * changed: a page refused to a reader never would have changed anything.
 */
import type { Viewer } from './access';
import { consoleChain, type ConsoleDeps } from './deps';
import { noticePage } from './pages/layout';
import { page, type ConsoleResponse } from './response';

export async function forbidden(
  deps: ConsoleDeps,
  viewer: Viewer,
  path: string,
  reason: string,
  refused: 'page' | 'action' = 'page',
): Promise<ConsoleResponse> {
  const now = deps.now();
  await deps.audit.append(consoleChain(now), 'console.access', { person: viewer.person.id, what: 'forbidden', path, reason }, now);
  return page(
    403,
    refused === 'action' ? noticePage(viewer, 'Not yours to do', `${reason} Nothing was changed.`) : noticePage(viewer, 'Not yours to see', reason),
  );
}

export function notFound(viewer: Viewer, what: string): ConsoleResponse {
  return page(404, noticePage(viewer, 'Not found', `There is no ${what}.`));
}
