/**
 * GET /console/runs: newest first, filtered by workflow, status and day, a
 * page at a time. An admin lists every run (merged from Step Functions);
 * anyone else lists the runs of approvals they were asked for.
 */
import type { Approval } from '../approvals/approval';
import type { Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { ConsoleBadInputError } from './errors';
import { badge, consolePage, escapeHtml, runLink, when } from './pages/layout';
import { RUN_STATUSES, type RunStatus, type RunSummary } from './ports';
import { page, type ConsoleResponse } from './response';
import { listRuns, type RunPage, type RunQuery } from './run-listing';
import { formatDuration } from '../run-timeline/durations';

export const PAGE_SIZE = 50;
/** Someone who is not an admin sees the runs of, at most, the newest this many approvals they were asked to decide. */
const ASKED_READ_MAX = 1000;

export interface RunFilters {
  workflow?: string;
  status?: RunStatus;
  from?: string;
  to?: string;
  cursor?: string;
}

/** Query parameters → filters; unknown values are a clear 400, not an empty list. */
export function parseRunFilters(query: Record<string, string | undefined>, workflowIds: readonly string[]): RunFilters {
  const f: RunFilters = {};
  if (query.workflow) {
    if (!workflowIds.includes(query.workflow)) throw new ConsoleBadInputError(`there is no workflow "${query.workflow}"; there are: ${workflowIds.join(', ')}`);
    f.workflow = query.workflow;
  }
  if (query.status) {
    const status = query.status.toUpperCase();
    if (!(RUN_STATUSES as readonly string[]).includes(status)) throw new ConsoleBadInputError(`status must be one of ${RUN_STATUSES.join(', ')}`);
    f.status = status as RunStatus;
  }
  for (const key of ['from', 'to'] as const) {
    const v = query[key];
    if (v) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new ConsoleBadInputError(`${key} must be a day like 2026-12-06`);
      f[key] = v;
    }
  }
  if (query.cursor) f.cursor = query.cursor;
  return f;
}

/** The runs of the approvals someone was asked to decide, newest first. */
export async function runsAskedAbout(deps: ConsoleDeps, viewer: Viewer): Promise<RunSummary[]> {
  const approvals: Approval[] = await deps.approvalLists.askedOf(viewer.person.id, ASKED_READ_MAX);
  // Each run once, looked for in the workflow its approval names.
  const runs = new Map(approvals.map((a) => [a.runId, a.workflowId]));
  const found = (await Promise.all([...runs].map(([runId, workflowId]) => deps.executions.find(runId, workflowId)))).filter(
    (r): r is NonNullable<typeof r> => !!r,
  );
  return found.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
}

/** The runs the viewer's approvals belong to (non-admins), newest first, filtered. */
async function runsOfApprovals(deps: ConsoleDeps, viewer: Viewer, f: RunFilters): Promise<RunPage> {
  const found = await runsAskedAbout(deps, viewer);
  const from = f.from ? Date.parse(`${f.from}T00:00:00Z`) : -Infinity;
  const to = f.to ? Date.parse(`${f.to}T00:00:00Z`) + 86_400_000 : Infinity;
  const runs = found.filter(
    (r) => (!f.workflow || r.workflowId === f.workflow) && (!f.status || r.status === f.status) && r.startedAt.getTime() >= from && r.startedAt.getTime() < to,
  );
  const offset = f.cursor && /^\d+$/.test(f.cursor) ? Number(f.cursor) : 0;
  const slice = runs.slice(offset, offset + PAGE_SIZE);
  return { runs: slice, ...(offset + PAGE_SIZE < runs.length ? { next: String(offset + PAGE_SIZE) } : {}) };
}

/** One page of the runs the viewer may see. */
export async function visibleRuns(deps: ConsoleDeps, viewer: Viewer, f: RunFilters, limit = PAGE_SIZE): Promise<RunPage> {
  if (!viewer.admin) return runsOfApprovals(deps, viewer, f);
  const query: RunQuery = {
    limit,
    ...(f.workflow ? { workflowIds: [f.workflow] } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  };
  return listRuns(deps.executions, query);
}

/** As `aios runs` prints it: a run of 0.3 s read "0s" when rounded to whole seconds. */
function duration(run: RunSummary, now: Date): string {
  const text = formatDuration(Math.max(0, (run.stoppedAt ?? now).getTime() - run.startedAt.getTime()));
  return run.stoppedAt ? text : `${text} so far`;
}

export function runRows(runs: readonly RunSummary[], now: Date): string {
  if (runs.length === 0) return '<p class="muted">No runs.</p>';
  return `<table><thead><tr><th>Run</th><th>Workflow</th><th>Status</th><th class="opt">Started</th><th class="opt">Duration</th></tr></thead><tbody>${runs
    .map(
      (r) =>
        `<tr><td>${runLink(r.runId)}</td><td>${escapeHtml(r.workflowId)}</td><td>${badge(r.status)}</td><td class="opt">${escapeHtml(when(r.startedAt))}</td><td class="opt">${escapeHtml(duration(r, now))}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function filterForm(deps: ConsoleDeps, f: RunFilters): string {
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<form method="get" class="filters card">
<label>Workflow<select name="workflow">${option('', 'all', !f.workflow)}${deps.definition.workflows.map((w) => option(w.id, w.id, f.workflow === w.id)).join('')}</select></label>
<label>Status<select name="status">${option('', 'any', !f.status)}${RUN_STATUSES.map((s) => option(s, s.toLowerCase().replace('_', ' '), f.status === s)).join('')}</select></label>
<label>From<input type="date" name="from" value="${escapeHtml(f.from ?? '')}"></label>
<label>To<input type="date" name="to" value="${escapeHtml(f.to ?? '')}"></label>
<button type="submit">Show</button></form>`;
}

/** GET /console/runs */
export async function showRuns(deps: ConsoleDeps, viewer: Viewer, query: Record<string, string | undefined>): Promise<ConsoleResponse> {
  let f: RunFilters;
  let result: RunPage;
  try {
    f = parseRunFilters(
      query,
      deps.definition.workflows.map((w) => w.id),
    );
    result = await visibleRuns(deps, viewer, f);
  } catch (error) {
    if (!(error instanceof ConsoleBadInputError)) throw error;
    return page(400, consolePage(viewer, 'Runs', `<p class="notice bad">${escapeHtml(error.message)}</p><p><a href="/console/runs">All runs</a></p>`));
  }
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ workflow: f.workflow, status: f.status, from: f.from, to: f.to })) if (v) params.set(k, v);
  const nextLink = result.next
    ? `<p><a class="button" href="/console/runs?${escapeHtml(new URLSearchParams([...params, ['cursor', result.next]]).toString())}">Older runs</a></p>`
    : '';
  const body = `${viewer.admin ? '' : '<p class="muted">The runs your approval requests belong to.</p>'}${filterForm(deps, f)}${runRows(result.runs, deps.now())}${nextLink}`;
  return page(200, consolePage(viewer, 'Runs', body, result.runs.some((r) => r.status === 'RUNNING') && !f.cursor ? { refreshSeconds: 10 } : {}));
}
