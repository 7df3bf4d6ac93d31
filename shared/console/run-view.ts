/**
 * GET /console/runs/<runId>: one run as a person reads it — status, the
 * approvals and who decided, each tool call with its input, the rights
 * decision and rule and the outcome, the model calls with tokens and cost,
 * the audit chain's status, and the timeline (the same model as `aios runs
 * show`). A run in progress reloads itself (a meta refresh: no script).
 */
import type { Approval, ApprovalDecision } from '../approvals/approval';
import { describeAction } from '../approvals/describe-action';
import { prettyJson } from '../approvals/html';
import type { AuditRecord, ChainVerdict } from '../audit/record';
import { endedText, startedHow } from '../audit/record-text';
import { toolNameMap } from '../agents/tool-names';
import { buildConversations, type ConversationView } from '../run-conversation';
import { renderTimeline, type HistoryEventLike } from '../run-timeline';
import { conversationTurnsHtml, conversationsHtml } from './conversation-view';
import { firstTimelineLineOnRunPage, LATEST_CALLS, runPartOf, TIMELINE_LINES_PER_PAGE, timelineHref, timelinePageOf, type RunPart } from './run-paging';
import { runGraphHtml } from './workflow-view';
import { parseJsonDetail, toTimelineEvents } from '../run-timeline/history-event';
import { maySeeRun, maySteer, type Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { forbidden, notFound } from './forbidden';
import { approvalLink, badge, consolePage, csrfField, escapeHtml, usd, when } from './pages/layout';
import type { RunDetail } from './ports';
import { page, type ConsoleResponse } from './response';

export interface ToolCallView {
  toolUseId: string;
  tool: string;
  agentId: string | null;
  input: unknown;
  reason: string | null;
  decision: 'allow' | 'approve' | 'deny' | null;
  ruleId: string | null;
  ruleReason: string | null;
  approvalId: string | null;
  outcome: 'ran' | 'failed' | 'refused' | 'pending';
  outcomeText: string | null;
}

export interface ModelCallView {
  agentId: string;
  model: string;
  turn: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  at: string;
}

export interface RunView {
  run: RunDetail;
  approvals: { approval: Approval; decisions: ApprovalDecision[] }[];
  toolCalls: ToolCallView[];
  modelCalls: ModelCallView[];
  chain: ChainVerdict | { ok: false; problems: { message: string }[]; count: number } | null;
  timeline: string[];
  conversations: ConversationView[];
  graph: string;
  /** How the run started, from its `run.started` record ("by hand, by sam@laptop (cli)", "by event …"); null before it is written. */
  startedHow: string | null;
  /** How the run ended, from its last `run.ended` record ("ABORTED: stopped from outside the workflow …"); null before it is written. */
  endedHow: string | null;
}

/** Tool calls as the gate saw them (its task inputs in the history), joined with what the audit trail says happened. */
export function toolCallsOf(history: readonly HistoryEventLike[], audit: readonly AuditRecord[], approvals: readonly Approval[]): ToolCallView[] {
  const calls: ToolCallView[] = [];
  for (const e of toTimelineEvents(history)) {
    if (e.type !== 'TaskScheduled') continue;
    const params = parseJsonDetail(e.details.parameters) as
      | { FunctionName?: string; Payload?: { agentId?: string | null; reason?: string; call?: { toolUseId?: string; name?: string; input?: unknown } } }
      | undefined;
    if (!params || !/tool-gate/.test(String(params.FunctionName ?? '')) || !params.Payload?.call?.toolUseId) continue;
    const call = params.Payload.call;
    if (calls.some((c) => c.toolUseId === call.toolUseId)) continue;
    calls.push({
      toolUseId: String(call.toolUseId),
      tool: String(call.name ?? '?'),
      agentId: params.Payload.agentId ?? null,
      input: call.input ?? null,
      reason: params.Payload.reason ?? null,
      decision: null,
      ruleId: null,
      ruleReason: null,
      approvalId: null,
      outcome: 'pending',
      outcomeText: null,
    });
  }
  const byUse = new Map(calls.map((c) => [c.toolUseId, c]));
  for (const r of audit) {
    const d = r.data as Record<string, unknown>;
    const c = typeof d.toolUseId === 'string' ? byUse.get(d.toolUseId) : undefined;
    if (!c) continue;
    if (r.kind === 'rights.evaluated') {
      c.decision = d.decision as ToolCallView['decision'];
      c.ruleId = (d.ruleId as string | null) ?? null;
      c.ruleReason = typeof d.reason === 'string' ? d.reason : null;
      if (c.decision === 'deny') {
        c.outcome = 'refused';
        c.outcomeText = c.ruleReason;
      }
    } else if (r.kind === 'tool.ran') {
      c.outcome = d.status === 'ok' ? 'ran' : 'failed';
      c.outcomeText = typeof d.summary === 'string' ? (d.summary.length > 300 ? `${d.summary.slice(0, 299)}…` : d.summary) : null;
      if (typeof d.approvalId === 'string') c.approvalId = d.approvalId;
    } else if (r.kind === 'tool.refused') {
      c.outcome = 'refused';
      c.outcomeText = typeof d.why === 'string' ? d.why : null;
    }
  }
  for (const a of approvals) {
    const c = a.call ? byUse.get(a.call.toolUseId) : undefined;
    if (!c) continue;
    c.approvalId = a.id;
    if (c.outcome === 'pending' && (a.status === 'rejected' || a.status === 'expired')) {
      c.outcome = 'refused';
      c.outcomeText = a.status === 'rejected' ? 'the approver rejected it' : 'nobody decided in time';
    }
  }
  return calls;
}

export function modelCallsOf(audit: readonly AuditRecord[]): ModelCallView[] {
  return audit
    .filter((r) => r.kind === 'model.called')
    .map((r) => {
      const d = r.data as Record<string, unknown>;
      return {
        agentId: String(d.agentId),
        model: String(d.model),
        turn: Number(d.turn),
        inputTokens: Number(d.inputTokens) || 0,
        outputTokens: Number(d.outputTokens) || 0,
        costUsd: Number(d.costUsd) || 0,
        at: r.at,
      };
    });
}

/** Reads what a part of a run shows: the run page everything; a turns page no history or chain check; a timeline page no chain check. */
export async function buildRunView(deps: ConsoleDeps, run: RunDetail, approvals: readonly Approval[], part: RunPart = { kind: 'run' }): Promise<RunView> {
  const [history, audit, decisions, chain, stored] = await Promise.all([
    part.kind === 'turns' ? ([] as HistoryEventLike[]) : deps.executions.history(run.executionArn),
    deps.audit.records(run.runId).catch(() => [] as AuditRecord[]),
    Promise.all(approvals.map((a) => deps.approvals.store.decisions(a.id))),
    part.kind === 'run'
      ? deps.audit.verify(run.runId).catch((error: Error) => ({ ok: false as const, count: 0, problems: [{ message: error.message }] }))
      : null,
    part.kind === 'timeline' ? [] : deps.conversations.ofRun(run.runId),
  ]);
  const names = toolNameMap(deps.definition.toolIds ?? []);
  const timeline = renderTimeline(history);
  const start = audit.find((r) => r.kind === 'run.started');
  const end = audit.findLast((r) => r.kind === 'run.ended');
  return {
    run,
    startedHow: start ? startedHow(start.data) : null,
    endedHow: end ? endedText(end.data) : null,
    approvals: approvals.map((approval, i) => ({ approval, decisions: decisions[i] })),
    toolCalls: toolCallsOf(history, audit, approvals),
    modelCalls: modelCallsOf(audit),
    chain,
    timeline,
    graph:
      part.kind === 'run'
        ? runGraphHtml(deps, run.workflowId, history, run.status === 'RUNNING', timeline, (i) => timelineHref(run.runId, i, timeline.length, true))
        : '',
    conversations: buildConversations({
      workflowId: run.workflowId,
      conversations: stored,
      audit,
      agents: deps.definition.promptAgents ?? [],
      approvals: approvals.map((a) => ({ id: a.id, toolUseId: a.call?.toolUseId ?? null })),
      toolIdOf: names.toToolId,
    }),
  };
}

function personName(deps: ConsoleDeps, id: string): string {
  return deps.approvals.people.find((p) => p.id === id)?.name ?? id;
}

function outputBlock(run: RunDetail): string {
  if (run.status === 'RUNNING') return '';
  if (run.status === 'SUCCEEDED') {
    const parsed = parseJsonDetail(run.output);
    return `<h2>Output</h2><pre>${escapeHtml(parsed === undefined ? (run.output ?? '(none)') : prettyJson(parsed))}</pre>`;
  }
  return `<h2>Error</h2><pre>${escapeHtml([run.error, run.cause].filter(Boolean).join('\n') || 'no error recorded')}</pre>`;
}

function runCard(v: RunView, extra = ''): string {
  const { run } = v;
  return `<div class="card"><p>Workflow <strong>${escapeHtml(run.workflowId)}</strong> · ${badge(run.status)}</p><p class="small muted">Started ${escapeHtml(when(run.startedAt))}${
    v.startedHow ? ` ${escapeHtml(v.startedHow)}` : ''
  }${run.stoppedAt ? `, ended ${escapeHtml(when(run.stoppedAt))}` : ''}</p>${
    v.endedHow ? `<p class="small">How it ended, as its audit trail says: ${escapeHtml(v.endedHow)}</p>` : ''
  }${extra}</div>`;
}

/** The run page's timeline: links to the pages of the lines before `from`, then lines `from` to `to`. */
function timelineHtml(runId: string, timeline: readonly string[], from: number, to: number): string {
  const earlier = from > 0 ? Array.from({ length: timelinePageOf(from - 1) }, (_, i) => i + 1) : [];
  const links = earlier.length
    ? `<p class="small muted">Lines 1–${from} are on ${earlier.length === 1 ? 'a page' : 'pages'} of ${TIMELINE_LINES_PER_PAGE}: ${earlier
        .map((p) => `<a href="/console/runs/${encodeURIComponent(runId)}?timeline=${p}#timeline">${p}</a>`)
        .join(' · ')}</p>`
    : '';
  return `${links}${timelineList(timeline, from, to)}`;
}

/** The class that gives a timeline's numbers room: its last number's digits, from 3 (the look's d3…d7). */
export function timelineClass(lastNumber: number): string {
  const digits = String(lastNumber).length;
  return digits > 2 ? `timeline d${Math.min(digits, 7)}` : 'timeline';
}

/** Timeline lines `from` to `to` (exclusive), numbered and with the ids the graph links to. */
function timelineList(timeline: readonly string[], from: number, to: number): string {
  return `<ol class="${timelineClass(Math.min(to, timeline.length))}" start="${from + 1}">${timeline
    .slice(from, to)
    .map((l, i) => `<li id="t-${from + i}">${escapeHtml(l)}</li>`)
    .join('')}</ol>`;
}

export function renderRunPage(deps: ConsoleDeps, viewer: Viewer, v: RunView): string {
  const { run } = v;
  const stop =
    maySteer(viewer) && run.status === 'RUNNING'
      ? `<form method="post" action="/console/runs/${encodeURIComponent(run.runId)}/stop" class="inline">${csrfField(viewer)}<input type="text" name="why" placeholder="why (optional)" maxlength="500"><button type="submit" class="danger">Stop this run</button></form>`
      : '';
  const approvals = v.approvals.length
    ? v.approvals
        .map(
          ({ approval: a, decisions }) =>
            `<div class="card"><p>${approvalLink(a.id, describeAction(a, deps.approvals.toolDescribers))} ${badge(a.status)}</p><p class="small muted">Approvers: ${a.approvers
              .map((id) => escapeHtml(personName(deps, id)))
              .join(', ')} · ${a.quorum} needed · decide before ${escapeHtml(when(a.deadline))}</p>${
              decisions.length
                ? `<ul>${decisions.map((d) => `<li>${escapeHtml(personName(deps, d.approver))} ${d.vote === 'approve' ? 'approved' : 'rejected'} at ${escapeHtml(when(d.at))} (${escapeHtml(d.via)})${d.comment ? `: “${escapeHtml(d.comment)}”` : ''}</li>`).join('')}</ul>`
                : ''
            }</div>`,
        )
        .join('')
    : '<p class="muted">None.</p>';
  const earlierCalls = Math.max(0, v.toolCalls.length - LATEST_CALLS);
  const tools = v.toolCalls.length
    ? `${earlierCalls ? `<p class="small muted">The latest ${LATEST_CALLS} of ${v.toolCalls.length}; each earlier call is in its turn of <a href="#conversation">the conversation</a>, with the rule that decided it.</p>` : ''}${v.toolCalls
        .slice(earlierCalls)
        .map(
          (c) =>
            `<div class="card"><p><strong>${escapeHtml(c.tool)}</strong>${c.agentId ? ` by agent ${escapeHtml(c.agentId)}` : ''} · rights: ${c.decision ? badge(c.decision) : '<span class="muted">not yet</span>'}${c.ruleId ? ` rule <strong>${escapeHtml(c.ruleId)}</strong>` : ''} · outcome: ${badge(c.outcome === 'ran' ? 'ok' : c.outcome === 'failed' ? 'error' : c.outcome === 'refused' ? 'deny' : 'pending')} ${escapeHtml(c.outcome)}</p>
${c.ruleReason ? `<p class="small">${escapeHtml(c.ruleReason)}</p>` : ''}${c.reason ? `<p class="small">Agent's reason: <em>${escapeHtml(c.reason)}</em></p>` : ''}${c.outcomeText ? `<p class="small">${escapeHtml(c.outcomeText)}</p>` : ''}${c.approvalId ? `<p class="small">${approvalLink(c.approvalId, 'Its approval')}</p>` : ''}
<pre>${escapeHtml(prettyJson(c.input))}</pre></div>`,
        )
        .join('')}`
    : '<p class="muted">None.</p>';
  const total = v.modelCalls.reduce((t, m) => ({ i: t.i + m.inputTokens, o: t.o + m.outputTokens, c: t.c + m.costUsd }), { i: 0, o: 0, c: 0 });
  const earlierModelCalls = Math.max(0, v.modelCalls.length - LATEST_CALLS);
  const models = v.modelCalls.length
    ? `${earlierModelCalls ? `<p class="small muted">The latest ${LATEST_CALLS} of ${v.modelCalls.length}, and the total of all; each turn of <a href="#conversation">the conversation</a> shows its tokens and cost.</p>` : ''}<table><thead><tr><th>Agent</th><th class="opt">Model</th><th>Turn</th><th>Tokens in / out</th><th>Cost</th></tr></thead><tbody>${v.modelCalls
        .slice(earlierModelCalls)
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.agentId)}</td><td class="opt">${escapeHtml(m.model)}</td><td>${m.turn}</td><td>${m.inputTokens} / ${m.outputTokens}</td><td>${usd(m.costUsd)}</td></tr>`,
        )
        .join('')}<tr><th>Total</th><th class="opt"></th><th></th><th>${total.i} / ${total.o}</th><th>${usd(total.c)}</th></tr></tbody></table>`
    : '<p class="muted">None.</p>';
  const chain = !v.chain
    ? ''
    : v.chain.ok
      ? `<p>${badge('ok')} ${v.chain.count} record${v.chain.count === 1 ? '' : 's'}, chain intact.</p>`
      : `<p>${badge('error')} ${escapeHtml(v.chain.problems.map((p) => p.message).join('; ') || 'no records')}</p>`;
  return consolePage(
    viewer,
    `Run ${run.runId}`,
    `${runCard(v, stop)}
${v.graph}
<h2>Approvals</h2>${approvals}
<h2>Tool calls</h2>${tools}
<h2>Model calls</h2>${models}
<h2 id="conversation">What the agents were told and said</h2>${conversationsHtml(run.runId, v.conversations, (id) => personName(deps, id))}
<h2>Audit trail</h2>${chain}
${outputBlock(run)}
<h2 id="timeline">Timeline</h2>${timelineHtml(run.runId, v.timeline, firstTimelineLineOnRunPage(v.timeline.length), v.timeline.length)}`,
    { ...(run.status === 'RUNNING' ? { refreshSeconds: 5 } : {}), picture: v.graph !== '' },
  );
}

/** The approvals of one run, oldest first. */
export async function approvalsOfRun(deps: ConsoleDeps, runId: string): Promise<Approval[]> {
  return deps.approvalLists.ofRun(runId);
}

/** GET /console/runs/<runId>?turns=A-B: those turns of the run's conversations. */
export function renderTurnsPage(deps: ConsoleDeps, viewer: Viewer, v: RunView, range: { from: number; to: number }): string {
  const back = `<p><a href="/console/runs/${encodeURIComponent(v.run.runId)}">Back to the run</a></p>`;
  return consolePage(
    viewer,
    `Run ${v.run.runId}: turns ${range.from}–${range.to}`,
    `${runCard(v, back)}<h2 id="conversation">What the agents were told and said</h2>${conversationTurnsHtml(v.run.runId, v.conversations, range, (id) => personName(deps, id))}`,
  );
}

/** GET /console/runs/<runId>?timeline=N: one page of the run's timeline. */
export function renderTimelinePage(viewer: Viewer, v: RunView, pageNumber: number): string {
  const runHref = `/console/runs/${encodeURIComponent(v.run.runId)}`;
  const pages = Math.max(1, Math.ceil(v.timeline.length / TIMELINE_LINES_PER_PAGE));
  const from = (pageNumber - 1) * TIMELINE_LINES_PER_PAGE;
  const nav = `<nav class="pager" aria-label="Timeline pages"><p>${Array.from({ length: pages }, (_, i) => i + 1)
    .map((p) => (p === pageNumber ? `<strong>${p}</strong>` : `<a href="${runHref}?timeline=${p}#timeline">${p}</a>`))
    .join(' · ')}</p></nav>`;
  const lines =
    from < v.timeline.length
      ? timelineList(v.timeline, from, from + TIMELINE_LINES_PER_PAGE)
      : `<p class="muted">The timeline has ${v.timeline.length} lines: no page ${pageNumber}.</p>`;
  return consolePage(
    viewer,
    `Run ${v.run.runId}: timeline, page ${pageNumber} of ${pages}`,
    `${runCard(v, `<p><a href="${runHref}">Back to the run</a></p>`)}<h2 id="timeline">Timeline</h2>${nav}${lines}`,
  );
}

/** GET /console/runs/<runId>, and its `?turns=` and `?timeline=` pages (run-paging.ts). */
export async function showRun(deps: ConsoleDeps, viewer: Viewer, runId: string, query: Readonly<Record<string, string>> = {}): Promise<ConsoleResponse> {
  const approvals = await approvalsOfRun(deps, runId);
  // Authorise before looking the run up, so a 404 does not tell a non-admin which runs exist.
  if (!maySeeRun(viewer, approvals)) return forbidden(deps, viewer, `/console/runs/${runId}`, 'This run has no approval request for you.');
  const part = runPartOf(query);
  const run = await deps.executions.find(runId);
  if (!run) return notFound(viewer, `run "${runId}"`);
  const view = await buildRunView(deps, run, approvals, part);
  if (part.kind === 'turns') return page(200, renderTurnsPage(deps, viewer, view, part));
  if (part.kind === 'timeline') return page(200, renderTimelinePage(viewer, view, part.page));
  return page(200, renderRunPage(deps, viewer, view));
}
