/**
 * What `aios runs` and `aios runs show` print, as pure functions of what
 * the Step Functions API and the audit log return.
 */
import type { AuditRecord } from '../audit/record';
import { formatDuration } from './durations';
import type { HistoryEventLike } from './history-event';
import { renderModelUsage } from './model-usage';
import { describeError } from './task-outcome';
import { renderTimeline } from './timeline';

/** The fields of DescribeExecution / ListExecutions items this module reads. */
export interface ExecutionLike {
  executionArn?: string;
  stateMachineArn?: string;
  name?: string;
  status?: string;
  startDate?: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
}

/** `arn:aws:states:…:stateMachine:support-desk` → `support-desk`. */
export function machineName(arn: string | undefined): string {
  if (!arn) return '?';
  const parts = arn.split(':');
  const at = parts.indexOf('stateMachine');
  return at >= 0 && parts[at + 1] ? parts[at + 1] : (parts[parts.length - 1] ?? '?');
}

function duration(e: ExecutionLike, now: Date): string {
  if (!e.startDate) return '';
  const end = e.stopDate ?? now;
  return `${formatDuration(end.getTime() - e.startDate.getTime())}${e.stopDate ? '' : ' so far'}`;
}

/** `2026-01-09 14:32:05Z` */
function when(d: Date | undefined): string {
  return d ? `${d.toISOString().slice(0, 19).replace('T', ' ')}Z` : '';
}

/** The run list: newest first, aligned columns. */
export function renderRunList(executions: readonly ExecutionLike[], now: Date = new Date()): string[] {
  if (executions.length === 0) return ['no runs'];
  const sorted = [...executions].sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
  const rows = [
    ['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION'],
    ...sorted.map((e) => [e.name ?? '?', machineName(e.stateMachineArn), e.status ?? '?', when(e.startDate), duration(e, now)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

function prettyOutput(output: string): string[] {
  try {
    return JSON.stringify(JSON.parse(output), null, 2).split('\n');
  } catch {
    return [output];
  }
}

export interface RunReportInput {
  execution: ExecutionLike;
  history: readonly HistoryEventLike[];
  audit: readonly AuditRecord[];
  /** Set when the audit log could not be read; shown instead of the usage table. */
  auditProblem?: string;
  now?: Date;
}

/** Header, timeline, model usage, and the final output or error. */
export function renderRunReport(input: RunReportInput): string[] {
  const e = input.execution;
  const now = input.now ?? new Date();
  const lines = [
    `run       ${e.name ?? '?'}`,
    `workflow  ${machineName(e.stateMachineArn)}`,
    `status    ${e.status ?? '?'}`,
    `started   ${when(e.startDate)}${e.stopDate ? `, ended ${when(e.stopDate)}` : ''} (${duration(e, now)})`,
    `arn       ${e.executionArn ?? '?'}`,
    '',
    'timeline',
    ...renderTimeline(input.history),
    '',
    'model usage',
    ...(input.auditProblem ? [`  (${input.auditProblem})`] : renderModelUsage(input.audit).map((l) => `  ${l}`)),
    '',
  ];
  if (e.status === 'SUCCEEDED') lines.push('output', ...(e.output !== undefined ? prettyOutput(e.output).map((l) => `  ${l}`) : ['  (none)']));
  else if (e.status === 'RUNNING') lines.push('still running: no output yet');
  else lines.push(`error (${e.status ?? '?'})`, `  ${e.error || e.cause ? describeError(e.error ?? e.status, e.cause) : 'no error recorded'}`);
  return lines;
}
