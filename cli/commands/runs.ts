/**
 * `aios runs [--status S] [--workflow id] [--limit n]` lists workflow runs
 * (executions of every state machine), newest first; `aios runs show
 * <runId|executionArn>` prints one run's history as a timeline, its model
 * usage from the audit log, and its output or error; `aios runs conversation
 * <run>` prints what each agent of the run was told and said.
 *
 * Everything goes through @aws-sdk/client-sfn (ListStateMachines,
 * ListExecutions, DescribeExecution, GetExecutionHistory), so it works
 * against the local runtime (default) and against AWS (`AIOS_TARGET=aws`).
 */
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type DescribeExecutionOutput,
  type ExecutionListItem,
  type ExecutionStatus,
  type SFNClient,
  type StateMachineListItem,
} from '@aws-sdk/client-sfn';
import { InvalidArgumentError, type Command } from 'commander';
import type { AuditRecord } from '../../shared/audit/record';
import { sfnClient } from '../../shared/aws/sfn';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { fullExecutionHistory } from '../../shared/aws/sfn-history';
import { AiosError } from '../../shared/errors';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { currentOs } from '../../functions/current-os';
import { ConversationStore } from '../../shared/agents/conversation-store';
import { promptAgentOf } from '../../shared/agents/json-schema';
import { toolNameMap } from '../../shared/agents/tool-names';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { buildConversations, renderConversations } from '../../shared/run-conversation';
import { machineName, renderRunList, renderRunReport } from '../../shared/run-timeline';
import { printOut } from '../terminal-text';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

class RunNotFoundError extends AiosError {
  constructor(run: string) {
    super('Runs.NotFound', `no run "${run}": \`aios runs\` lists the runs there are`, { run });
  }
}

class RunsUnreachableError extends AiosError {
  constructor(endpoint: string | undefined, cause: unknown) {
    super(
      'Runs.Unreachable',
      `cannot reach Step Functions at ${endpoint ?? 'AWS'}: start the local runtime with \`npm start\` (or set AIOS_PORT)`,
      { endpoint },
      { cause },
    );
  }
}

function statusOption(value: string): ExecutionStatus {
  const upper = value.toUpperCase();
  if (!(STATUSES as readonly string[]).includes(upper)) throw new InvalidArgumentError(`one of ${STATUSES.join(', ')}`);
  return upper as ExecutionStatus;
}

function limitOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
}

/** Runs `call`, turning connection failures and SDK errors into typed CLI errors. */
async function calling<T>(env: AiosEnvironment, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AiosError) throw error;
    const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code ?? '';
    if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'].includes(code) || /ECONNREFUSED/.test(String(e.message))) {
      throw new RunsUnreachableError(env.endpoint, error);
    }
    throw new AiosError(`StepFunctions.${e.name ?? 'Error'}`, e.message ?? String(error));
  }
}

function sfn(env: AiosEnvironment): SFNClient {
  return sfnClient({}, env.vars);
}

async function stateMachines(client: SFNClient): Promise<StateMachineListItem[]> {
  const all: StateMachineListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ maxResults: 1000, nextToken }));
    all.push(...(page.stateMachines ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

async function executions(client: SFNClient, stateMachineArn: string, status: ExecutionStatus | undefined, limit: number): Promise<ExecutionListItem[]> {
  const found: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: status, maxResults: Math.min(1000, limit - found.length), nextToken }),
    );
    found.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken && found.length < limit);
  return found;
}

/** DescribeExecution by ARN, or by run id (the execution name) across every state machine. */
async function findExecution(client: SFNClient, run: string): Promise<DescribeExecutionOutput> {
  const describe = async (executionArn: string) => {
    try {
      return await client.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  };
  if (run.startsWith('arn:')) {
    const found = await describe(run);
    if (!found) throw new RunNotFoundError(run);
    return found;
  }
  for (const machine of await stateMachines(client)) {
    const arn = `${machine.stateMachineArn!.replace(':stateMachine:', ':execution:')}:${run}`;
    const found = await describe(arn);
    if (found) return found;
  }
  throw new RunNotFoundError(run);
}

/** The audit records of a run; a problem reading them is reported, not fatal. */
async function auditRecords(env: AiosEnvironment, runId: string): Promise<{ records: AuditRecord[]; problem?: string }> {
  try {
    return { records: await auditLog(env).records(runId) };
  } catch (error) {
    return { records: [], problem: `audit log unavailable: ${(error as Error).message}` };
  }
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  const runs = program
    .command('runs')
    .description('list workflow runs (Step Functions executions), newest first; `runs show <id>` prints one as a timeline')
    .option('--status <status>', `only runs in this status: ${STATUSES.join(' | ')}`, statusOption)
    .option('--workflow <id>', 'only runs of this workflow (state machine name)')
    .option('--limit <n>', 'how many (1-1000)', limitOption, 20)
    .action(async (options: { status?: ExecutionStatus; workflow?: string; limit: number }) => {
      const env = cli.current();
      const client = sfn(env);
      const machines = (await calling(env, () => stateMachines(client))).filter((m) => !options.workflow || m.name === options.workflow);
      if (options.workflow && machines.length === 0)
        throw new AiosError('Runs.UnknownWorkflow', `no workflow (state machine) named "${options.workflow}"`, { workflow: options.workflow });
      const lists = await calling(env, () => Promise.all(machines.map((m) => executions(client, m.stateMachineArn!, options.status, options.limit))));
      const newest = lists
        .flat()
        .sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0))
        .slice(0, options.limit);
      for (const line of renderRunList(newest)) printOut(`${line}\n`);
    });

  runs
    .command('show')
    .description("a run's history as a timeline, its model usage and its output or error")
    .argument('<run>', 'a run id (execution name, as `aios runs` lists) or an execution ARN')
    .action(async (run: string) => {
      const env = cli.current();
      const client = sfn(env);
      const execution = await calling(env, () => findExecution(client, run));
      const events = await calling(env, () => fullExecutionHistory(client, execution.executionArn!));
      const audit = await auditRecords(env, execution.name ?? run);
      const lines = renderRunReport({ execution, history: events, audit: audit.records, ...(audit.problem ? { auditProblem: audit.problem } : {}) });
      for (const line of lines) printOut(`${line}\n`);
    });

  runs
    .command('conversation')
    .description(
      'what each agent of a run was told and said: system prompt, knowledge, messages, tool calls with their rights decision and who approved, results, tokens and cost per turn, final answer',
    )
    .argument('<run>', 'a run id (execution name, as `aios runs` lists) or an execution ARN')
    .action(async (run: string) => {
      const env = cli.current();
      const client = sfn(env);
      const execution = await calling(env, () => findExecution(client, run));
      const runId = execution.name ?? run;
      const os = currentOs(env.vars);
      const state = stateTable(env);
      const [stored, audit, approvals] = await Promise.all([
        new ConversationStore(state).ofRun(runId),
        auditRecords(env, runId),
        new ApprovalStore(state).list(),
      ]);
      const conversations = buildConversations({
        workflowId: machineName(execution.stateMachineArn),
        conversations: stored,
        audit: audit.records,
        agents: os.agents.map(promptAgentOf),
        approvals: approvals.filter((a) => a.runId === runId).map((a) => ({ id: a.id, toolUseId: a.call?.toolUseId ?? null })),
        toolIdOf: toolNameMap(os.tools.map((t) => t.id)).toToolId,
      });
      if (audit.problem) printOut(`(${audit.problem}: rights decisions and tokens are missing)\n`);
      for (const line of renderConversations(conversations)) printOut(`${line}\n`);
    });
}
