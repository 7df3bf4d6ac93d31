/**
 * What the console needs from the outside world, as narrow ports. The
 * adapters (Step Functions, EventBridge, Scheduler) are built in one place,
 * the console handler's composition (functions/console/console-deps.ts).
 */
import type { HistoryEventLike } from '../run-timeline';

export const RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunSummary {
  /** The execution name: the run id the audit trail and approvals use. */
  runId: string;
  workflowId: string;
  status: RunStatus;
  startedAt: Date;
  stoppedAt?: Date;
  executionArn: string;
}

export interface RunDetail extends RunSummary {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** Step Functions, as far as the console reads and stops runs. */
export interface ExecutionsPort {
  /** Each workflow's state machine. */
  workflows(): Promise<{ id: string; arn: string }[]>;
  /** One page of a workflow's runs, newest first (ListExecutions). */
  list(stateMachineArn: string, options: { status?: RunStatus; nextToken?: string; max: number }): Promise<{ runs: RunSummary[]; nextToken?: string }>;
  /**
   * DescribeExecution by run id, trying each workflow's state machine (`workflowId` first, when the caller knows it:
   * then one request); undefined when there is no such run.
   */
  find(runId: string, workflowId?: string): Promise<RunDetail | undefined>;
  /** DescribeExecution by ARN (one request, where `find` may try each workflow); undefined when there is no such run. */
  describe(executionArn: string): Promise<RunDetail | undefined>;
  /** The whole execution history (GetExecutionHistory, with data). */
  history(executionArn: string): Promise<HistoryEventLike[]>;
  /** StopExecution. */
  stop(executionArn: string, cause: string): Promise<void>;
}

/** Turns a workflow's triggers off and on: its event rules and its schedules. */
export interface TriggerSwitch {
  /** Returns the names of the rules and schedules it disabled. */
  disable(workflowId: string): Promise<string[]>;
  enable(workflowId: string): Promise<string[]>;
}

/** Model spend (the usage ledger's totals). */
export interface SpendPort {
  /** Every run's model spend on a UTC day (`YYYY-MM-DD`). */
  dayCostUsd(day: string): Promise<number>;
}
