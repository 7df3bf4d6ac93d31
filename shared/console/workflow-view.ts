/**
 * The run as a picture, and a workflow's picture with no run
 * (GET /console/workflows/<id>, admins): the compiled state machine laid
 * out as SVG (the layout made with the definition, graph-layout.ts), states linking to the run's timeline.
 */
import type { HistoryEventLike } from '../run-timeline';
import type { Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { forbidden, notFound } from './forbidden';
import { consolePage, escapeHtml } from './pages/layout';
import { page, type ConsoleResponse } from './response';
import { renderStateGraph, runMarks } from './state-graph';

/** The index of the first timeline line naming `state`, for its link. */
export function timelineIndexOf(timeline: readonly string[], state: string): number | undefined {
  // The line where it was entered (`▸ <name> (<Type>)`); inside a Map the iterations are summarised, so any line naming it.
  const entered = timeline.findIndex((line) => line.includes(`▸ ${state} (`));
  const i = entered >= 0 ? entered : timeline.findIndex((line) => line.includes(state));
  return i >= 0 ? i : undefined;
}

const LEGEND =
  '<p class="small muted legend"><span class="key taken">taken</span> <span class="key current">in it now</span> <span class="key failed">failed</span> <span class="key">not reached</span> · ×N: entered N times (an agent\'s think step once per turn)</p>';

/** The run page's picture, or '' when the definition has no machine for the workflow. */
export function runGraphHtml(
  deps: ConsoleDeps,
  workflowId: string,
  history: readonly HistoryEventLike[],
  running: boolean,
  timeline: readonly string[],
  timelineLink: (index: number) => string = (i) => `#t-${i}`,
): string {
  const layout = deps.definition.graphOf?.(workflowId);
  if (!layout) return '';
  const marks = runMarks(history, running);
  const svg = renderStateGraph(layout, marks, (state) => {
    const i = timelineIndexOf(timeline, state);
    return i === undefined ? undefined : timelineLink(i);
  });
  return `<h2 id="graph">The run as a picture</h2>${LEGEND}${svg}`;
}

/** GET /console/workflows/<id> */
export async function showWorkflow(deps: ConsoleDeps, viewer: Viewer, workflowId: string): Promise<ConsoleResponse> {
  if (!viewer.admin) return forbidden(deps, viewer, `/console/workflows/${workflowId}`, 'Workflow pictures are for admins.');
  const workflow = deps.definition.workflows.find((w) => w.id === workflowId);
  const layout = workflow ? deps.definition.graphOf?.(workflowId) : undefined;
  if (!workflow || !layout) return notFound(viewer, `workflow "${workflowId}"`);
  const body = `<p>${escapeHtml(workflow.description)}</p><p><a href="/console/runs?workflow=${encodeURIComponent(workflowId)}">Its runs</a></p>${renderStateGraph(layout, undefined)}`;
  return page(200, consolePage(viewer, `Workflow ${workflowId}`, body, { picture: true }));
}
