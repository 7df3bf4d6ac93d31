/**
 * Steering: the person at the apex can always course-correct. Pause or
 * resume a workflow (its rules and schedules off: no new runs; runs in
 * flight go on), stop a run (and close its pending approvals), suspend or
 * resume an agent (the tool gate then denies its calls). Admins only; each
 * change is kept in the control store (it survives restarts) and audited
 * with who and why.
 */
import { maySteer, type Viewer } from './access';
import type { Control, ControlKind } from './controls';
import { consoleChain, type ConsoleDeps } from './deps';
import { forbidden, notFound } from './forbidden';
import { noticePage } from './pages/layout';
import { page, redirect, type ConsoleResponse } from './response';
import { approvalsOfRun } from './run-view';

const MAX_WHY = 500;

function whyOf(form: Record<string, string | undefined>): string | null {
  return form.why?.trim().slice(0, MAX_WHY) || null;
}

function control(viewer: Viewer, kind: ControlKind, id: string, at: Date, why: string | null): Control {
  return { kind, id, by: viewer.person.id, byName: viewer.person.name, at: at.toISOString(), why };
}

/** POST /console/workflows/<id>/pause|resume */
export async function steerWorkflow(
  deps: ConsoleDeps,
  viewer: Viewer,
  workflowId: string,
  action: 'pause' | 'resume',
  form: Record<string, string | undefined>,
): Promise<ConsoleResponse> {
  if (!maySteer(viewer))
    return forbidden(deps, viewer, `/console/workflows/${workflowId}/${action}`, 'Only an admin can pause or resume a workflow.', 'action');
  if (!deps.definition.workflows.some((w) => w.id === workflowId)) return notFound(viewer, `workflow "${workflowId}"`);
  const now = deps.now();
  const why = whyOf(form);
  // The record first: if switching the triggers fails half way, the pause is still recorded and a retry finishes it.
  if (action === 'pause') {
    await deps.controls.set(control(viewer, 'workflow', workflowId, now, why));
    const switched = await deps.triggers.disable(workflowId);
    await deps.audit.append(
      consoleChain(now),
      'control.changed',
      { by: viewer.person.id, target: 'workflow', id: workflowId, state: 'paused', why, triggers: switched },
      now,
    );
  } else {
    const switched = await deps.triggers.enable(workflowId);
    await deps.controls.clear('workflow', workflowId);
    await deps.audit.append(
      consoleChain(now),
      'control.changed',
      { by: viewer.person.id, target: 'workflow', id: workflowId, state: 'resumed', why, triggers: switched },
      now,
    );
  }
  return redirect('/console');
}

/** POST /console/agents/<id>/suspend|resume */
export async function steerAgent(
  deps: ConsoleDeps,
  viewer: Viewer,
  agentId: string,
  action: 'suspend' | 'resume',
  form: Record<string, string | undefined>,
): Promise<ConsoleResponse> {
  if (!maySteer(viewer)) return forbidden(deps, viewer, `/console/agents/${agentId}/${action}`, 'Only an admin can suspend or resume an agent.', 'action');
  if (!deps.definition.agents.some((a) => a.id === agentId)) return notFound(viewer, `agent "${agentId}"`);
  const now = deps.now();
  const why = whyOf(form);
  if (action === 'suspend') await deps.controls.set(control(viewer, 'agent', agentId, now, why));
  else await deps.controls.clear('agent', agentId);
  await deps.audit.append(
    consoleChain(now),
    'control.changed',
    { by: viewer.person.id, target: 'agent', id: agentId, state: action === 'suspend' ? 'suspended' : 'resumed', why },
    now,
  );
  return redirect('/console');
}

/** POST /console/runs/<runId>/stop: StopExecution, then its pending approvals are closed (rejected, by nobody). */
export async function stopRun(deps: ConsoleDeps, viewer: Viewer, runId: string, form: Record<string, string | undefined>): Promise<ConsoleResponse> {
  if (!maySteer(viewer)) return forbidden(deps, viewer, `/console/runs/${runId}/stop`, 'Only an admin can stop a run.', 'action');
  const run = await deps.executions.find(runId);
  if (!run) return notFound(viewer, `run "${runId}"`);
  const now = deps.now();
  const why = whyOf(form);
  if (run.status !== 'RUNNING')
    return page(409, noticePage(viewer, 'Run already ended', `Run ${runId} is ${run.status.toLowerCase()}; there is nothing to stop.`));
  await deps.executions.stop(run.executionArn, `stopped in the console by ${viewer.person.name}${why ? `: ${why}` : ''}`);
  const closed: string[] = [];
  for (const a of await approvalsOfRun(deps, runId)) {
    if (a.status === 'pending' && (await deps.approvals.store.close(a.id, a.stage, 'rejected', { decidedAt: now.toISOString(), decidedBy: [] })))
      closed.push(a.id);
  }
  const data = { by: viewer.person.id, target: 'run' as const, id: runId, state: 'stopped' as const, why, closedApprovals: closed };
  await deps.audit.append(runId, 'control.changed', data, now);
  await deps.audit.append(consoleChain(now), 'control.changed', data, now);
  return redirect(`/console/runs/${encodeURIComponent(runId)}`);
}
