/**
 * What the workflows achieved, computed from the records that already exist
 * — the runs (Step Functions executions) and each run's audit chain — so
 * the numbers cannot drift from a second store.
 *
 * A run is counted once however often it was tried: a redriven execution
 * keeps its run id, and an event replayed from the archive keeps its event
 * id, so attempts of one piece of work share a key. The latest attempt
 * says how the work ended; money spent and people asked are summed over
 * every attempt, because that money and that time were really spent.
 */
import type { AuditRecord } from '../audit/record';
import { unwrapStartInput } from '../contracts/manual-start';
import type { RunShape } from '../cost/run-cost';
import type { RunStatus } from './ports';

/** What one attempt of a workflow cost on AWS, given what it did. */
export type AwsCostOfRun = (workflowId: string, shape: RunShape) => number;

/** One execution with its audit records, as outcomes need it. */
export interface RunRecord {
  runId: string;
  workflowId: string;
  status: RunStatus;
  startedAt: Date;
  /** The id of the event that started it, when an event did (replays keep it). */
  sourceEventId?: string;
  audit: readonly AuditRecord[];
}

export interface OutcomeNumbers {
  /** Pieces of work started in the window (attempts of one piece count once). */
  runs: number;
  succeeded: number;
  /** Runs that ended (not running any more). */
  ended: number;
  /** Ended runs in which nobody was asked to decide anything. */
  automated: number;
  /** Approvals asked of people. */
  decisionsAsked: number;
  /** Milliseconds from asking to the deciding vote, one per decided approval. */
  decisionTimesMs: number[];
  deniedCalls: number;
  /** Model spend from the audit trail's `model.called` records. */
  modelUsd: number;
  /** AWS spend (`aios cost`'s model) of every attempt, at the think steps and tool calls each made. */
  awsUsd: number;
}

export interface OutcomeSummary extends OutcomeNumbers {
  /** succeeded / ended, null when nothing ended. */
  successRate: number | null;
  /** automated / ended, null when nothing ended. */
  automationRate: number | null;
  medianDecisionMs: number | null;
  totalUsd: number;
  /** totalUsd / runs, null without runs. */
  costPerRunUsd: number | null;
  /** modelUsd / runs and awsUsd / runs, null without runs. */
  modelPerRunUsd: number | null;
  awsPerRunUsd: number | null;
}

export interface DailyOutcome extends OutcomeSummary {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
}

export interface WorkflowOutcomes {
  workflowId: string;
  /** Keyed by the window's length in days (7, 30). */
  windows: Record<number, OutcomeSummary>;
  /** One entry per day of the longest window, oldest first. */
  daily: DailyOutcome[];
}

export interface OutcomeOptions {
  now: Date;
  /** Window lengths in days, e.g. [7, 30]. */
  windowsDays: readonly number[];
  /** The AWS cost of one attempt (`aios cost`'s model at the run's shape); absent: model spend only. */
  awsCostOfRun?: AwsCostOfRun;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** One piece of work: every attempt at it. */
interface Work {
  workflowId: string;
  attempts: RunRecord[];
}

/** Attempts of one piece of work share a key: the source event if known, otherwise the run id. */
function workKey(run: RunRecord): string {
  return `${run.workflowId}\u0000${run.sourceEventId ? `event:${run.sourceEventId}` : `run:${run.runId}`}`;
}

/** Groups runs into pieces of work; each run id is taken once even if listed twice. */
export function groupAttempts(runs: readonly RunRecord[]): Work[] {
  const seen = new Set<string>();
  const byKey = new Map<string, Work>();
  for (const run of runs) {
    if (seen.has(run.runId)) continue;
    seen.add(run.runId);
    const key = workKey(run);
    const work = byKey.get(key) ?? { workflowId: run.workflowId, attempts: [] };
    work.attempts.push(run);
    byKey.set(key, work);
  }
  for (const work of byKey.values()) work.attempts.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  return [...byKey.values()];
}

function emptyNumbers(): OutcomeNumbers {
  return { runs: 0, succeeded: 0, ended: 0, automated: 0, decisionsAsked: 0, decisionTimesMs: [], deniedCalls: 0, modelUsd: 0, awsUsd: 0 };
}

/** What an attempt did as its audit trail records it: think steps (`model.called`) and rights checks (one per tool call). */
export function shapeOf(audit: readonly AuditRecord[]): RunShape {
  let thinks = 0;
  let toolCalls = 0;
  for (const r of audit) {
    if (r.kind === 'model.called') thinks += 1;
    else if (r.kind === 'rights.evaluated') toolCalls += 1;
  }
  return { thinks, toolCalls };
}

/** The numbers of one piece of work. */
export function numbersOfWork(work: Work, awsCostOfRun?: AwsCostOfRun): OutcomeNumbers {
  const n = emptyNumbers();
  const last = work.attempts[work.attempts.length - 1];
  n.runs = 1;
  const ended = last.status !== 'RUNNING';
  if (ended) n.ended = 1;
  if (last.status === 'SUCCEEDED') n.succeeded = 1;
  const asked = new Map<string, number>();
  const decided = new Set<string>();
  for (const attempt of work.attempts) {
    if (awsCostOfRun) n.awsUsd += awsCostOfRun(work.workflowId, shapeOf(attempt.audit));
    for (const r of attempt.audit) {
      const d = r.data as Record<string, unknown>;
      if (r.kind === 'model.called') n.modelUsd += Number(d.costUsd) || 0;
      else if (r.kind === 'rights.evaluated' && d.decision === 'deny') n.deniedCalls += 1;
      else if (r.kind === 'approval.requested' && typeof d.approvalId === 'string' && !asked.has(d.approvalId)) asked.set(d.approvalId, Date.parse(r.at));
      else if (r.kind === 'approval.decided' && typeof d.approvalId === 'string' && d.outcome !== 'pending' && !decided.has(d.approvalId)) {
        decided.add(d.approvalId);
        const since = asked.get(d.approvalId);
        if (since !== undefined) n.decisionTimesMs.push(Date.parse(r.at) - since);
      }
    }
  }
  n.decisionsAsked = asked.size;
  if (ended && asked.size === 0) n.automated = 1;
  return n;
}

function add(a: OutcomeNumbers, b: OutcomeNumbers): OutcomeNumbers {
  return {
    runs: a.runs + b.runs,
    succeeded: a.succeeded + b.succeeded,
    ended: a.ended + b.ended,
    automated: a.automated + b.automated,
    decisionsAsked: a.decisionsAsked + b.decisionsAsked,
    decisionTimesMs: [...a.decisionTimesMs, ...b.decisionTimesMs],
    deniedCalls: a.deniedCalls + b.deniedCalls,
    modelUsd: a.modelUsd + b.modelUsd,
    awsUsd: a.awsUsd + b.awsUsd,
  };
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarise(n: OutcomeNumbers): OutcomeSummary {
  const totalUsd = n.modelUsd + n.awsUsd;
  return {
    ...n,
    successRate: n.ended ? n.succeeded / n.ended : null,
    automationRate: n.ended ? n.automated / n.ended : null,
    medianDecisionMs: median(n.decisionTimesMs),
    totalUsd,
    costPerRunUsd: n.runs ? totalUsd / n.runs : null,
    modelPerRunUsd: n.runs ? n.modelUsd / n.runs : null,
    awsPerRunUsd: n.runs ? n.awsUsd / n.runs : null,
  };
}

function dayOf(t: Date | number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Outcomes per workflow for each window, and day by day over the longest.
 * A piece of work belongs to the window and the day its first attempt started in.
 *
 * @example computeOutcomes(['support-desk'], runs, { now, windowsDays: [7, 30] })[0].windows[7].automationRate
 */
export function computeOutcomes(workflowIds: readonly string[], runs: readonly RunRecord[], options: OutcomeOptions): WorkflowOutcomes[] {
  const longest = Math.max(1, ...options.windowsDays);
  const now = options.now.getTime();
  const todayStart = Date.parse(`${dayOf(now)}T00:00:00Z`);
  const days = Array.from({ length: longest }, (_, i) => dayOf(todayStart - (longest - 1 - i) * DAY_MS));
  const works = groupAttempts(runs);
  return workflowIds.map((workflowId) => {
    const mine = works
      .filter((w) => w.workflowId === workflowId)
      .map((w) => ({ started: w.attempts[0].startedAt.getTime(), numbers: numbersOfWork(w, options.awsCostOfRun) }))
      .filter((w) => w.started <= now);
    const windows: Record<number, OutcomeSummary> = {};
    for (const length of options.windowsDays) {
      // A window of N days is today and the N-1 days before it, as the daily chart shows them.
      const from = todayStart - (length - 1) * DAY_MS;
      windows[length] = summarise(mine.filter((w) => w.started >= from).reduce((acc, w) => add(acc, w.numbers), emptyNumbers()));
    }
    const perDay = new Map<string, OutcomeNumbers>(days.map((d) => [d, emptyNumbers()]));
    for (const w of mine) {
      const day = dayOf(w.started);
      const acc = perDay.get(day);
      if (acc) perDay.set(day, add(acc, w.numbers));
    }
    return { workflowId, windows, daily: days.map((day) => ({ day, ...summarise(perDay.get(day)!) })) };
  });
}

/** The id of the event a run's input is, if it is an EventBridge event (replays keep the id). */
export function sourceEventIdOf(input: string | undefined): string | undefined {
  if (!input) return undefined;
  try {
    // A run started by hand with an event file is another attempt at that event's work.
    const value = unwrapStartInput(JSON.parse(input)).input as Record<string, unknown> | null;
    return value && typeof value === 'object' && typeof value.id === 'string' && typeof value['detail-type'] === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}
