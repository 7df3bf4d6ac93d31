/**
 * GET /console: what needs me. Pending approvals for the signed-in person,
 * runs that failed or are stuck, today's numbers and the steering controls
 * with their state (admins act on them).
 */
import type { Approval } from '../approvals/approval';
import { maySteer, type Viewer } from './access';
import { approvalRows, pendingFor } from './approvals-view';
import type { Control } from './controls';
import type { ConsoleDeps } from './deps';
import { consolePage, csrfField, escapeHtml, usd, when } from './pages/layout';
import type { RunSummary } from './ports';
import { page, type ConsoleResponse } from './response';
import { runRows, runsAskedAbout } from './runs-view';

/** A run in progress this long without a person to wait for is "stuck". */
export const STUCK_AFTER_MS = 60 * 60 * 1000;

export interface TodayNumbers {
  started: number;
  finished: number;
  failed: number;
  running: number;
  waitingOnPerson: number;
  /** Every run's model spend today (UTC). */
  spendUsd: number;
}

export interface HomeView {
  pending: Approval[];
  failed: RunSummary[];
  stuck: RunSummary[];
  today: TodayNumbers | null;
  controls: Control[];
}

// A run a person stopped (ABORTED) is not a failure: it is neither counted nor listed as one, so the number
// and the list of failed runs agree.
const FAILED = ['FAILED', 'TIMED_OUT'] as const;
const FAILED_LISTED = 5;
const RUNNING_LISTED = 200;

/** The failed and running runs to list, and, for an admin, today's numbers. */
async function runsToShow(deps: ConsoleDeps, viewer: Viewer, now: Date) {
  if (!viewer.admin) {
    // Someone else sees the runs of their approvals only, and no numbers over everyone's.
    const mine = await runsAskedAbout(deps, viewer);
    const failed = mine.filter((r) => (FAILED as readonly string[]).includes(r.status));
    return { failed, running: mine.filter((r) => r.status === 'RUNNING').slice(0, RUNNING_LISTED), counts: null };
  }
  // The same pages give the runs to list and today's count in each status; finished is what remains of the started.
  const [started, failed, timedOut, aborted, running, spendUsd] = await Promise.all([
    deps.runsToday.started(now),
    deps.runsToday.inStatus('FAILED', now, FAILED_LISTED),
    deps.runsToday.inStatus('TIMED_OUT', now, FAILED_LISTED),
    deps.runsToday.inStatus('ABORTED', now, 0),
    deps.runsToday.inStatus('RUNNING', now, RUNNING_LISTED),
    deps.spend.dayCostUsd(now.toISOString().slice(0, 10)),
  ]);
  const notFinished = failed.today + timedOut.today + aborted.today + running.today;
  return {
    failed: [...failed.newest, ...timedOut.newest],
    running: running.newest,
    counts: { started, finished: Math.max(0, started - notFinished), failed: failed.today + timedOut.today, running: running.today, spendUsd },
  };
}

export async function buildHomeView(deps: ConsoleDeps, viewer: Viewer): Promise<HomeView> {
  const now = deps.now();
  const [allPending, runs, controls] = await Promise.all([
    deps.approvalLists.pending(),
    runsToShow(deps, viewer, now),
    deps.controls.of({ workflows: deps.definition.workflows.map((w) => w.id), agents: deps.definition.agents.map((a) => a.id) }),
  ]);
  const pending = pendingFor(allPending, viewer);
  const waiting = new Set(allPending.map((a) => a.runId));
  const stuck = runs.running.filter((r) => now.getTime() - r.startedAt.getTime() > STUCK_AFTER_MS && !waiting.has(r.runId)).slice(0, 5);
  const today = runs.counts ? { ...runs.counts, waitingOnPerson: waiting.size } : null;
  const failed = runs.failed.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, FAILED_LISTED);
  return { pending, failed, stuck, today, controls };
}

function controlsBlock(deps: ConsoleDeps, viewer: Viewer, controls: readonly Control[]): string {
  const state = (kind: 'workflow' | 'agent', id: string) => controls.find((c) => c.kind === kind && c.id === id);
  const by = (c: Control) => `by ${escapeHtml(c.byName)} at ${escapeHtml(when(c.at))}${c.why ? ` (“${escapeHtml(c.why)}”)` : ''}`;
  const button = (path: string, label: string, danger = false) =>
    maySteer(viewer)
      ? `<form method="post" action="${escapeHtml(path)}" class="inline">${csrfField(viewer)}<button type="submit"${danger ? ' class="danger"' : ' class="secondary"'}>${escapeHtml(label)}</button></form>`
      : '';
  const workflows = deps.definition.workflows
    .map((w) => {
      const c = state('workflow', w.id);
      return `<tr><td><strong>${escapeHtml(w.id)}</strong><div class="small muted">${escapeHtml(w.description)}</div></td><td>${c ? `<span class="status s-FAILED">paused</span> <span class="small">${by(c)}</span>` : '<span class="status s-SUCCEEDED">running</span>'}</td><td>${
        c
          ? button(`/console/workflows/${encodeURIComponent(w.id)}/resume`, 'Resume')
          : button(`/console/workflows/${encodeURIComponent(w.id)}/pause`, 'Pause', true)
      }</td></tr>`;
    })
    .join('');
  const agents = deps.definition.agents
    .map((a) => {
      const c = state('agent', a.id);
      return `<tr><td><strong>${escapeHtml(a.id)}</strong><div class="small muted">${escapeHtml(a.description)}</div></td><td>${c ? `<span class="status s-FAILED">suspended</span> <span class="small">${by(c)}</span>` : '<span class="status s-SUCCEEDED">active</span>'}</td><td>${
        c
          ? button(`/console/agents/${encodeURIComponent(a.id)}/resume`, 'Resume')
          : button(`/console/agents/${encodeURIComponent(a.id)}/suspend`, 'Suspend', true)
      }</td></tr>`;
    })
    .join('');
  return `<h2>Workflows</h2><table><tbody>${workflows}</tbody></table><h2>Agents</h2><table><tbody>${agents}</tbody></table>`;
}

export function renderHomePage(deps: ConsoleDeps, viewer: Viewer, v: HomeView): string {
  const n = v.today;
  const numbers = n
    ? `<h2>Today</h2><div class="numbers"><div><b>${n.started}</b>runs started</div><div><b>${n.finished}</b>finished</div><div><b>${n.waitingOnPerson}</b>waiting on a person</div><div><b>${n.failed}</b>failed</div><div><b>${usd(n.spendUsd)}</b>model spend</div></div>`
    : '';
  const body = `<h2>Waiting for your decision</h2>${approvalRows(deps, v.pending)}
${numbers}
<h2>Failed runs</h2>${runRows(v.failed, deps.now())}
${v.stuck.length ? `<h2>Stuck runs</h2><p class="small muted">In progress for over an hour with nobody to wait for.</p>${runRows(v.stuck, deps.now())}` : ''}
${controlsBlock(deps, viewer, v.controls)}`;
  return consolePage(viewer, `What needs you, ${viewer.person.name.split(' ')[0]}`, body);
}

/** GET /console */
export async function showHome(deps: ConsoleDeps, viewer: Viewer): Promise<ConsoleResponse> {
  return page(200, renderHomePage(deps, viewer, await buildHomeView(deps, viewer)));
}
