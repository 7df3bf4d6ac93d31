/**
 * GET /console/outcomes (admins): per workflow, the last 7 and 30 days —
 * runs, success and automation rates, decisions asked of people and how
 * long they took, denied calls, cost per run and total spend — and a daily
 * chart of each. Read from the runs and their audit chains (outcomes.ts).
 */
import type { AuditRecord } from '../audit/record';
import type { Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { forbidden } from './forbidden';
import { computeOutcomes, sourceEventIdOf, type OutcomeSummary, type RunRecord, type WorkflowOutcomes } from './outcomes';
import { dailyChart } from './pages/daily-chart';
import { consolePage, escapeHtml, usd, when } from './pages/layout';
import type { RunSummary } from './ports';
import { page, type ConsoleResponse } from './response';

export const OUTCOME_WINDOWS = [7, 30] as const;
/**
 * The most runs of one workflow the page reads (the newest): each costs a
 * DescribeExecution (its input says which event started it, so a replay
 * counts once) and a query of its audit chain, READS_AT_ONCE at a time,
 * so the page's reads grow with the cap, not with the business's volume.
 * Step Functions throttles DescribeExecution per account (a token bucket),
 * which is what a much larger cap would run into.
 */
export const OUTCOME_RUNS_PER_WORKFLOW = 200;
/** Runs read at once. */
const READS_AT_ONCE = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A workflow whose window held more runs than the page reads: the numbers cover the newest `counted`, started since `since`. */
export interface CappedWorkflow {
  counted: number;
  since: Date;
}

/**
 * The newest runs of a workflow started on or after `from`, at most `cap`
 * (ListExecutions is newest first, so paging stops at either bound).
 */
async function recentRuns(deps: ConsoleDeps, arn: string, from: number, cap: number): Promise<{ runs: RunSummary[]; capped: boolean }> {
  const runs: RunSummary[] = [];
  let nextToken: string | undefined;
  do {
    // One more than the cap tells whether there were more.
    const p = await deps.executions.list(arn, { max: Math.min(1000, cap + 1 - runs.length), ...(nextToken ? { nextToken } : {}) });
    for (const r of p.runs) {
      if (r.startedAt.getTime() < from) return { runs, capped: false };
      if (runs.length === cap) return { runs, capped: true };
      runs.push(r);
    }
    nextToken = p.nextToken;
  } while (nextToken);
  return { runs, capped: false };
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The runs of the longest window with their audit records, at most `cap` per workflow, and which workflows hit the cap. */
export async function outcomeRecords(
  deps: ConsoleDeps,
  now: Date,
  days: number,
  cap: number = OUTCOME_RUNS_PER_WORKFLOW,
): Promise<{ runs: RunRecord[]; capped: Record<string, CappedWorkflow> }> {
  const from = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) - (days - 1) * DAY_MS;
  const known = new Set(deps.definition.workflows.map((w) => w.id));
  const machines = (await deps.executions.workflows()).filter((w) => known.has(w.id));
  const listed = await Promise.all(machines.map(async (m) => ({ id: m.id, ...(await recentRuns(deps, m.arn, from, cap)) })));
  const capped: Record<string, CappedWorkflow> = {};
  for (const l of listed) if (l.capped && l.runs.length) capped[l.id] = { counted: l.runs.length, since: l.runs[l.runs.length - 1].startedAt };
  const runs = await inBatches(
    listed.flatMap((l) => l.runs),
    READS_AT_ONCE,
    async (s): Promise<RunRecord> => {
      const [detail, audit] = await Promise.all([deps.executions.describe(s.executionArn), deps.audit.records(s.runId).catch(() => [] as AuditRecord[])]);
      const sourceEventId = sourceEventIdOf(detail?.input);
      return {
        runId: s.runId,
        workflowId: s.workflowId,
        status: detail?.status ?? s.status,
        startedAt: s.startedAt,
        ...(sourceEventId ? { sourceEventId } : {}),
        audit,
      };
    },
  );
  return { runs, capped };
}

export async function buildOutcomes(
  deps: ConsoleDeps,
  cap: number = OUTCOME_RUNS_PER_WORKFLOW,
): Promise<{ outcomes: WorkflowOutcomes[]; capped: Record<string, CappedWorkflow> }> {
  const now = deps.now();
  const longest = Math.max(...OUTCOME_WINDOWS);
  const { runs, capped } = await outcomeRecords(deps, now, longest, cap);
  const outcomes = computeOutcomes(
    deps.definition.workflows.map((w) => w.id),
    runs,
    { now, windowsDays: OUTCOME_WINDOWS, ...(deps.definition.awsCostOfRun ? { awsCostOfRun: deps.definition.awsCostOfRun } : {}) },
  );
  return { outcomes, capped };
}

const percent = (v: number | null): string => (v === null ? '–' : `${Math.round(v * 100)}%`);

/** `3 h`, `12 min`, `40 s` */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms >= 2 * 60 * 60 * 1000) return `${(ms / 3_600_000).toFixed(ms >= 10 * 3_600_000 ? 0 : 1)} h`;
  if (ms >= 60 * 1000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

const ROWS: { label: string; cell: (s: OutcomeSummary) => string }[] = [
  { label: 'Runs', cell: (s) => String(s.runs) },
  { label: 'Success rate', cell: (s) => `${percent(s.successRate)}${s.ended ? ` <span class="small muted">${s.succeeded} of ${s.ended}</span>` : ''}` },
  {
    label: 'Automation rate',
    cell: (s) => `${percent(s.automationRate)}${s.ended ? ` <span class="small muted">${s.automated} of ${s.ended} with no person deciding</span>` : ''}`,
  },
  { label: 'Decisions asked of people', cell: (s) => String(s.decisionsAsked) },
  { label: 'Median time to decision', cell: (s) => duration(s.medianDecisionMs) },
  { label: 'Denied calls', cell: (s) => String(s.deniedCalls) },
  {
    label: 'Cost per run',
    cell: (s) =>
      s.costPerRunUsd === null
        ? '–'
        : `${usd(s.costPerRunUsd)} <span class="small muted">models ${usd(s.modelPerRunUsd ?? 0)} + AWS ${usd(s.awsPerRunUsd ?? 0)}</span>`,
  },
  { label: 'Model spend', cell: (s) => usd(s.modelUsd) },
  { label: 'AWS spend', cell: (s) => usd(s.awsUsd) },
  { label: 'Total spend', cell: (s) => usd(s.totalUsd) },
];

function workflowBlock(w: WorkflowOutcomes, capped: CappedWorkflow | undefined): string {
  const rows = ROWS.map(
    (r) =>
      `<tr><th>${r.label}</th>${OUTCOME_WINDOWS.map((d) => `<td data-window="${d}" data-metric="${escapeHtml(r.label)}">${r.cell(w.windows[d])}</td>`).join('')}</tr>`,
  ).join('');
  const daily = (pick: (s: OutcomeSummary) => number | null) => w.daily.map((d) => ({ day: d.day, value: pick(d) }));
  const charts = [
    dailyChart(
      'Runs',
      daily((d) => d.runs),
      String,
    ),
    dailyChart(
      'Success rate',
      daily((d) => d.successRate),
      percent,
      { max: 1 },
    ),
    dailyChart(
      'Automation rate',
      daily((d) => d.automationRate),
      percent,
      { max: 1 },
    ),
    dailyChart(
      'Decisions asked',
      daily((d) => d.decisionsAsked),
      String,
    ),
    dailyChart(
      'Median time to decision',
      daily((d) => d.medianDecisionMs),
      duration,
    ),
    dailyChart(
      'Denied calls',
      daily((d) => d.deniedCalls),
      String,
    ),
    dailyChart(
      'Cost per run',
      daily((d) => d.costPerRunUsd),
      usd,
    ),
    dailyChart(
      'Spend',
      daily((d) => d.totalUsd),
      usd,
    ),
  ].join('');
  return `<section class="card" id="wf-${escapeHtml(w.workflowId)}" data-workflow="${escapeHtml(w.workflowId)}"><h2>${escapeHtml(w.workflowId)}</h2>
${
  capped
    ? `<p class="notice capped">Based on the last ${capped.counted} runs, started since ${escapeHtml(when(capped.since))}: the page reads at most ${OUTCOME_RUNS_PER_WORKFLOW} runs of a workflow, and older runs of the ${Math.max(...OUTCOME_WINDOWS)} days are not counted.</p>`
    : ''
}<div class="scroll"><table><thead><tr><th></th>${OUTCOME_WINDOWS.map((d) => `<th>Last ${d} days</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>
<h3>Day by day, last ${w.daily.length} days</h3><div class="charts">${charts}</div></section>`;
}

export function renderOutcomesPage(
  viewer: Viewer,
  outcomes: readonly WorkflowOutcomes[],
  awsIncluded: boolean,
  capped: Readonly<Record<string, CappedWorkflow>> = {},
): string {
  const intro = `<p class="small muted">From the runs and their audit trails. A run restarted or replayed from the same event counts once; its spend and decisions add up over every attempt. Automation rate: ended runs in which nobody was asked to decide. Model spend: the tokens each model call recorded. ${
    awsIncluded
      ? 'AWS spend: the items of <code>aios cost</code> (Step Functions transitions, Lambda requests and compute, DynamoDB reads and writes, EventBridge events) at us-east-1 list prices, for each attempt at the think steps and tool calls its audit trail records.'
      : 'AWS spend is not included.'
  }</p>`;
  return consolePage(viewer, 'Outcomes', `${intro}${outcomes.map((w) => workflowBlock(w, capped[w.workflowId])).join('')}`);
}

/** GET /console/outcomes */
export async function showOutcomes(deps: ConsoleDeps, viewer: Viewer): Promise<ConsoleResponse> {
  if (!viewer.admin) return forbidden(deps, viewer, '/console/outcomes', 'Outcomes are for admins.');
  const { outcomes, capped } = await buildOutcomes(deps);
  return page(200, renderOutcomesPage(viewer, outcomes, Boolean(deps.definition.awsCostOfRun), capped));
}
