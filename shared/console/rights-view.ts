/**
 * GET /console/rights (admins): the decision rules in order, in plain
 * words, each with how often it matched in the last 30 days (allowed /
 * asked / denied, from the audit trail's `rights.evaluated` records) and
 * what people did with the approvals it asked for; and a form that explains
 * a hypothetical call with exactly the text `aios rights explain` prints
 * (the same function). The console never changes rules: they live in code.
 */
import type { AuditRecord } from '../audit/record';
import type { DecisionRule } from '../rights/rule-schema';
import type { Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { forbidden } from './forbidden';
import { consolePage, escapeHtml } from './pages/layout';
import { page, type ConsoleResponse } from './response';

export const RIGHTS_WINDOW_DAYS = 30;

export interface RuleUse {
  allow: number;
  approve: number;
  deny: number;
  approved: number;
  rejected: number;
  /** Approvals that ran out of time (rejected or escalated by the deadline). */
  expired: number;
  /** Ms from asking to the deciding vote, per decided approval. */
  decisionTimesMs: number[];
}

/** Matches per rule (null: no rule matched or refused before the rules) and approval outcomes, from audit records. */
export function ruleUse(records: readonly AuditRecord[], since: Date): Map<string | null, RuleUse> {
  const use = new Map<string | null, RuleUse>();
  const of = (id: string | null) =>
    use.get(id) ?? (use.set(id, { allow: 0, approve: 0, deny: 0, approved: 0, rejected: 0, expired: 0, decisionTimesMs: [] }).get(id) as RuleUse);
  const ruleOfApproval = new Map<string, string | null>();
  const askedAt = new Map<string, number>();
  const askedRuleByRun = new Map<string, (string | null)[]>();
  for (const r of records) {
    if (Date.parse(r.at) < since.getTime()) continue;
    const d = r.data as Record<string, unknown>;
    if (r.kind === 'rights.evaluated') {
      const id = (d.ruleId as string | null) ?? null;
      const decision = d.decision as 'allow' | 'approve' | 'deny';
      if (decision in of(id)) of(id)[decision] += 1;
      if (decision === 'approve') askedRuleByRun.set(r.runId, [...(askedRuleByRun.get(r.runId) ?? []), id]);
    } else if (r.kind === 'approval.requested' && d.stage === 'primary' && typeof d.approvalId === 'string') {
      // Approvals follow their rights decision in the run's chain, in order.
      const queue = askedRuleByRun.get(r.runId) ?? [];
      ruleOfApproval.set(d.approvalId, queue.shift() ?? null);
      askedAt.set(d.approvalId, Date.parse(r.at));
    } else if (
      r.kind === 'approval.decided' &&
      typeof d.approvalId === 'string' &&
      (d.outcome === 'approved' || d.outcome === 'rejected') &&
      ruleOfApproval.has(d.approvalId)
    ) {
      const u = of(ruleOfApproval.get(d.approvalId)!);
      u[d.outcome] += 1;
      u.decisionTimesMs.push(Date.parse(r.at) - (askedAt.get(d.approvalId) ?? Date.parse(r.at)));
    } else if (r.kind === 'approval.deadline_passed' && typeof d.approvalId === 'string' && d.stage === 'primary' && ruleOfApproval.has(d.approvalId)) {
      of(ruleOfApproval.get(d.approvalId)!).expired += 1;
    }
  }
  return use;
}

/** Fewer decisions than this say too little about a rule to suggest letting the system act alone. */
export const EARNED_AUTONOMY_MIN_DECISIONS = 10;

export interface AutonomySuggestion {
  ruleId: string;
  /** What people did, in a sentence. */
  evidence: string;
  /** The rule to put before this one in the definition's decision rights. */
  code: string;
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.max(1, Math.round(ms / 60_000))} min`;
}

function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * Earned autonomy: when people approved every call an approve rule asked
 * about in the window — none rejected, none left to time out — and there
 * were at least `min` of them, the rule that would have let the system act
 * alone, as code to review and paste. Anything else: no suggestion.
 */
export function earnedAutonomy(
  rule: DecisionRule,
  use: RuleUse | undefined,
  min = EARNED_AUTONOMY_MIN_DECISIONS,
  days = RIGHTS_WINDOW_DAYS,
): AutonomySuggestion | null {
  if (rule.outcome !== 'approve' || !use) return null;
  const decided = use.approved + use.rejected + use.expired;
  if (use.rejected > 0 || use.expired > 0 || use.approved < min || decided !== use.approved) return null;
  const evidence = `All ${use.approved} calls asked of ${(rule.approvers ?? []).join(', ')} by ${rule.id} in ${days} days were approved as asked, median decision ${hours(median(use.decisionTimesMs))}.`;
  const fields = [
    `id: ${JSON.stringify(`${rule.id}-earned`)}`,
    `description: ${JSON.stringify(evidence)}`,
    ...(rule.tool !== undefined ? [`tool: ${JSON.stringify(rule.tool)}`] : []),
    ...(rule.agent !== undefined ? [`agent: ${JSON.stringify(rule.agent)}`] : []),
    ...(rule.workflow !== undefined ? [`workflow: ${JSON.stringify(rule.workflow)}`] : []),
    ...(rule.when !== undefined ? [`when: ${JSON.stringify(rule.when)}`] : []),
    `outcome: 'allow'`,
  ];
  return {
    ruleId: rule.id,
    evidence,
    code: `// Put before the rule "${rule.id}" in the definition's decision rights (os/decision-rights.ts):\n{ ${fields.join(', ')} },`,
  };
}

const list = (v: string | readonly string[] | undefined): string | undefined => (v === undefined ? undefined : Array.isArray(v) ? v.join(' or ') : String(v));

/** One rule in plain words: "When triage calls refunds.* and amount > 50: ask role:support-lead (1 of them, within 4h)." */
export function ruleInWords(rule: DecisionRule): string {
  const who = list(rule.agent as string | string[] | undefined);
  const what = list(rule.tool as string | string[] | undefined);
  const where = list(rule.workflow as string | string[] | undefined);
  const parts = [`${who ? `agent ${who}` : 'any agent'} calls ${what ? what : 'any tool'}`];
  if (where) parts.push(`in workflow ${where}`);
  if (rule.when) parts.push(`and ${rule.when}`);
  if (rule.window) parts.push('within its time window');
  if (rule.limit) parts.push(`while under its limit (per ${rule.limit.per})`);
  const then =
    rule.outcome === 'allow'
      ? 'it runs'
      : rule.outcome === 'deny'
        ? 'it is refused'
        : `a person decides: ${(rule.approvers ?? []).join(', ')}${rule.quorum && rule.quorum > 1 ? ` (${rule.quorum} needed)` : ''}${rule.timeout ? `, within ${String(rule.timeout)}` : ''}`;
  return `When ${parts.join(' ')}, ${then}.`;
}

/** Every audit record of runs with records in the window (a scan: admins' page, not a hot path). */
async function recentRecords(deps: ConsoleDeps, since: Date): Promise<AuditRecord[]> {
  const runs = (await deps.audit.runs()).filter((id) => !id.startsWith('console-'));
  const all = await Promise.all(runs.map((id) => deps.audit.records(id).catch(() => [] as AuditRecord[])));
  return all.flat().filter((r) => Date.parse(r.at) >= since.getTime());
}

function explainForm(q: Record<string, string>, deps: ConsoleDeps): string {
  const tools = deps.definition.toolIds ?? [];
  const option = (value: string, selected: string | undefined, label = value) =>
    `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<form method="get" action="/console/rights" class="card explain">
<p><label>Tool <select name="tool">${tools.map((t) => option(t, q.tool)).join('')}</select></label>
<label>Agent <select name="agent">${option('', q.agent, '(none)')}${deps.definition.agents.map((a) => option(a.id, q.agent)).join('')}</select></label>
<label>Workflow <select name="workflow">${option('', q.workflow, '(none)')}${deps.definition.workflows.map((w) => option(w.id, q.workflow)).join('')}</select></label></p>
<p><label>Input (JSON) <textarea name="input" rows="3">${escapeHtml(q.input ?? '{}')}</textarea></label></p>
<p><label>At (ISO time, empty: now) <input type="text" name="at" value="${escapeHtml(q.at ?? '')}"></label> <button type="submit">Explain</button></p></form>`;
}

/** GET /console/rights */
export async function showRights(deps: ConsoleDeps, viewer: Viewer, query: Record<string, string>): Promise<ConsoleResponse> {
  if (!viewer.admin) return forbidden(deps, viewer, '/console/rights', 'Decision rights are for admins.');
  const now = deps.now();
  const since = new Date(now.getTime() - RIGHTS_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const use = ruleUse(await recentRecords(deps, since), since);
  const rules = deps.definition.decisionRules ?? [];
  const cell = (u: RuleUse | undefined) =>
    `<td data-count="allow" data-label="Allowed">${u?.allow ?? 0}</td><td data-count="approve" data-label="Asked">${u?.approve ?? 0}</td><td data-count="deny" data-label="Denied">${u?.deny ?? 0}</td><td class="opt" data-label="Approvals">${u && (u.approved || u.rejected) ? `${u.approved} approved, ${u.rejected} rejected` : '–'}</td>`;
  const rows = rules
    .map(
      (r, i) =>
        `<tr data-rule="${escapeHtml(r.id)}"><td class="nowrap">${i + 1}</td><td><strong>${escapeHtml(r.id)}</strong><div class="small">${escapeHtml(ruleInWords(r))}</div>${r.description ? `<div class="small muted">${escapeHtml(r.description)}</div>` : ''}</td>${cell(use.get(r.id))}</tr>`,
    )
    .join('');
  const suggestions = rules.flatMap((r) => earnedAutonomy(r, use.get(r.id)) ?? []);
  const earned = suggestions.length
    ? suggestions
        .map((x) => `<div class="card" data-suggestion="${escapeHtml(x.ruleId)}"><p>${escapeHtml(x.evidence)}</p><pre>${escapeHtml(x.code)}</pre></div>`)
        .join('')
    : `<p class="muted">No suggestion: an approve rule earns one when at least ${EARNED_AUTONOMY_MIN_DECISIONS} of its approvals in ${RIGHTS_WINDOW_DAYS} days were all approved, none rejected or timed out.</p>`;
  const fallthrough = `<tr data-rule=""><td></td><td><em>No rule matched, or refused before the rules</em></td>${cell(use.get(null))}</tr>`;
  let answer = '';
  if (query.tool && deps.definition.explain) {
    try {
      const text = await deps.definition.explain(
        {
          toolId: query.tool,
          input: query.input || '{}',
          ...(query.agent ? { agentId: query.agent } : {}),
          ...(query.workflow ? { workflowId: query.workflow } : {}),
          ...(query.at ? { at: query.at } : {}),
        },
        now,
      );
      answer = `<h3>The answer, as <code>aios rights explain</code> gives it</h3><pre class="explanation">${escapeHtml(text)}</pre>`;
    } catch (error) {
      answer = `<p class="notice bad">${escapeHtml((error as Error).message)}</p>`;
    }
  }
  const body = `<p class="small muted">The rules in the order the gate reads them; the first that matches decides. Counts are the last ${RIGHTS_WINDOW_DAYS} days of the audit trail. Rules live in the definition's code and change only there, reviewed like code.</p>
<div class="scroll"><table class="stack"><thead><tr><th>#</th><th>Rule</th><th>Allowed</th><th>Asked</th><th>Denied</th><th class="opt">Approvals</th></tr></thead><tbody>${rows}${fallthrough}</tbody></table></div>
<h2>Earned autonomy</h2>${earned}
<h2>Explain a call</h2>${explainForm(query, deps)}${answer}`;
  return page(200, consolePage(viewer, 'Decision rights', body));
}
