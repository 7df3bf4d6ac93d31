/**
 * `aios approvals` (pending requests: what, for whom, since when),
 * `aios approve <id> --as <person> [--comment ..]`, `aios reject <id> --as <person> [--comment ..]`.
 * The same checks and audit as the approval page: only an approver of the
 * current stage, once, before the deadline; the decision that settles the
 * request resumes the workflow exactly once.
 */
import type { Command } from 'commander';
import { decide, type ApprovalDeps, type DecideResult } from '../../shared/approvals/approval-service';
import type { Approval } from '../../shared/approvals/approval';
import { ApprovalLists } from '../../shared/approvals/approval-lists';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { describeAction, type ToolDescribers } from '../../shared/approvals/describe-action';
import { clip } from '../../shared/look/clip';
import { ApprovalRefusedError } from '../../shared/approvals/errors';
import { approvalDeps } from '../../shared/composition/approvals';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { stateTable } from '../../shared/composition/tables';
import type { Table } from '../../shared/storage/table';
import { AiosError } from '../../shared/errors';
import { currentOs } from '../../functions/current-os';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { cliOperator } from '../operator';
import { printOut } from '../terminal-text';

class UnknownPersonError extends AiosError {
  constructor(id: string, known: string[]) {
    super('Approval.UnknownPerson', `no person "${id}" (people: ${known.join(', ')})`, { id });
  }
}

/** The local runtime (or AWS) could not be reached. */
export class RuntimeUnreachableError extends AiosError {
  constructor(endpoint: string | undefined, cause: unknown) {
    super(
      'Runtime.Unreachable',
      `cannot reach ${endpoint ?? 'AWS'}: start the local runtime with \`npm start\`, or set AWS_ENDPOINT_URL / AIOS_TARGET=aws`,
      { endpoint },
      { cause },
    );
  }
}

/** Runs a command body against `env`, turning "connection refused" and "no such table" into RuntimeUnreachableError. */
export async function reachingRuntime<T>(env: AiosEnvironment, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code ?? '';
    if (
      e.name === 'ResourceNotFoundException' ||
      ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'].includes(code) ||
      /ECONNREFUSED/.test(String(e.message))
    ) {
      throw new RuntimeUnreachableError(env.endpoint, error);
    }
    throw error;
  }
}

function deps(env: AiosEnvironment): ApprovalDeps {
  return approvalDeps(env, currentOs(env.vars));
}

function age(since: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 60_000));
  return minutes < 60 ? `${minutes}m` : minutes < 48 * 60 ? `${Math.round(minutes / 60)}h` : `${Math.round(minutes / 1440)}d`;
}

const REASON_CHARS = 160;

/**
 * One request as `aios approvals` lists it, led by the sentence the approver's email and page show (stored with the
 * request), and the agent's reason on one line, marked where it is cut.
 */
export function approvalListing(a: Approval, now: Date, describers?: ToolDescribers): string {
  const overdue = a.status === 'pending' && Date.parse(a.deadline) <= now.getTime() ? ' (overdue)' : '';
  const shown = a.reason ? clip(a.reason, REASON_CHARS) : '';
  return (
    `${a.id}  ${a.status}${a.stage === 'escalation' ? ' (escalated)' : ''}${overdue}\n` +
    `  ${a.action ?? describeAction(a, describers)}\n` +
    `  asked by ${a.agentId ? `agent ${a.agentId}` : `workflow ${a.workflowId}`} in run ${a.runId}${shown ? `: ${shown}` : ''}\n` +
    `  for ${a.approvers.join(', ')} (${a.quorum} of ${a.approvers.length}), since ${a.stageStartedAt} (${age(a.stageStartedAt, now)} ago), deadline ${a.deadline}\n`
  );
}

/**
 * The requests `aios approvals` lists, oldest first: the pending ones through the approvals index, as the console
 * reads them (what it reads grows with what is open, not with every conversation in the table); with `all`, every
 * request, decided and expired too, which only a scan of the table finds.
 */
export async function listedApprovals(table: Table, all: boolean): Promise<Approval[]> {
  const list = all ? await new ApprovalStore(table).list() : await new ApprovalLists(table).pending();
  return list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Turns a decision result into output, or a typed error for refusals. */
export function reportDecision(approvalId: string, person: string, result: DecideResult): string {
  switch (result.kind) {
    case 'recorded': {
      const t = result.tally;
      const state =
        t.outcome === 'pending'
          ? `still pending: ${t.approvals.length} of ${t.quorum} approvals`
          : `request ${t.outcome}${result.resumed ? '; the workflow was resumed' : ''}`;
      return `recorded: ${person} ${result.approval.status === 'rejected' || t.rejections.includes(person) ? 'rejected' : 'approved'} ${approvalId} — ${state}\n`;
    }
    case 'already-decided':
      throw new ApprovalRefusedError(approvalId, `${person} already ${result.yours.vote === 'approve' ? 'approved' : 'rejected'} at ${result.yours.at}`);
    case 'closed':
      if (result.approval.status === 'cancelled')
        throw new ApprovalRefusedError(approvalId, 'closed: its run is no longer waiting (stopped, failed or timed out); nothing was approved');
      throw new ApprovalRefusedError(approvalId, `already ${result.approval.status}${result.approval.decidedAt ? ` at ${result.approval.decidedAt}` : ''}`);
    case 'escalated':
      throw new ApprovalRefusedError(approvalId, 'escalated to other approvers');
    case 'expired':
      throw new ApprovalRefusedError(approvalId, `the deadline passed at ${result.approval.deadline}`);
    case 'foreign':
      throw new ApprovalRefusedError(approvalId, `${person} is not an approver (approvers: ${result.approval.approvers.join(', ')})`);
    case 'unknown':
      throw new ApprovalRefusedError(approvalId, 'no such approval');
  }
}

function decisionCommand(program: Command, cli: CliEnvironment, name: 'approve' | 'reject'): void {
  program
    .command(`${name} <id>`)
    .description(`${name} a pending approval request as a named person`)
    .requiredOption('--as <person>', 'your person id, e.g. sam')
    .option('--comment <text>', 'a comment kept with the decision')
    .action(async (id: string, options: { as: string; comment?: string }) => {
      const env = cli.current();
      const d = deps(env);
      if (!d.people.some((p) => p.id === options.as))
        throw new UnknownPersonError(
          options.as,
          d.people.map((p) => p.id),
        );
      const result = await reachingRuntime(env, () =>
        // `--as` names a person on the operator's word, so the record keeps whose.
        decide(d, { approvalId: id, approver: options.as, vote: name, comment: options.comment ?? null, via: 'cli', operator: cliOperator() }),
      );
      printOut(reportDecision(id, options.as, result));
    });
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('approvals')
    .description('list approval requests waiting for a decision: what, for whom, since when')
    .option('--all', 'include decided and expired requests')
    .action(async (options: { all?: boolean }) => {
      const env = cli.current();
      const d = deps(env);
      const now = new Date();
      const list = await reachingRuntime(env, () => listedApprovals(stateTable(env), options.all === true));
      if (list.length === 0) {
        printOut(options.all ? 'no approval requests\n' : 'no pending approval requests\n');
        return;
      }
      for (const a of list) printOut(approvalListing(a, now, d.toolDescribers));
    });
  decisionCommand(program, cli, 'approve');
  decisionCommand(program, cli, 'reject');
}
