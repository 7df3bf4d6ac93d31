/**
 * The console's one composition root: its part of the definition, the approval
 * service's ports (shared with the email link), the console's stores on the
 * `state` and `audit` tables, and the AWS adapters (Step Functions,
 * EventBridge, Scheduler) from the client factory. The Lambda and the local
 * runtime both build it here.
 */
import { explainCall } from '../../shared/rights/explain-call';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { RunConversations } from '../../shared/agents/conversation-store';
import { ApprovalLists } from '../../shared/approvals/approval-lists';
import { UsageLedger } from '../../shared/agents/usage-ledger';
import { eventBridgeClient } from '../../shared/aws/eventbridge';
import { schedulerClient } from '../../shared/aws/scheduler';
import { sfnClient } from '../../shared/aws/sfn';
import { approvalDeps } from '../../shared/composition/approvals';
import { mailer } from '../../shared/composition/mailer';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { auditLog, stateTable } from '../../shared/composition/tables';
import type { ConsoleSlice } from '../../shared/console/console-slice';
import { ControlStore } from '../../shared/console/controls';
import { awsCostOfCountedRun } from '../../shared/console/run-cost-counts';
import { RunsToday } from '../../shared/console/runs-today';
import type { ConsoleDefinition, ConsoleDeps, ConsoleKnowledge } from '../../shared/console/deps';
import type { SpendPort } from '../../shared/console/ports';
import { SessionStore } from '../../shared/console/session-store';
import { SignInLinkStore } from '../../shared/console/sign-in-links';
import * as z from '../../shared/mini-zod';
import type { Table } from '../../shared/storage/table';
import { stepFunctionsExecutions } from './adapters/step-functions-executions';
import { eventBridgeTriggerSwitch, type TriggerDirectory } from './adapters/trigger-switch';

/** What the console shows of its part of the definition (shared/console/console-slice.ts). */
export function consoleDefinition(slice: ConsoleSlice, state: Table): ConsoleDefinition {
  return {
    name: slice.name,
    workflows: slice.workflows.map((w) => ({ id: w.id, description: w.description })),
    agents: slice.agents.map((a) => ({ id: a.id, description: `uses ${a.tools.join(', ') || 'no tools'}` })),
    rules: slice.rules.map((r) => ({ id: r.id, ...(r.description ? { description: r.description } : {}) })),
    promptAgents: slice.agents,
    toolIds: slice.tools.map((t) => t.id),
    decisionRules: slice.rules,
    // us-east-1 list prices, as `aios cost` uses by default.
    awsCostOfRun: awsCostOfCountedRun(slice.cost),
    // Rolling limits are read from the state table and never consumed, as the CLI does.
    explain: (question, now) => explainCall({ ...slice, rules: slice.compiledRules }, question, { now, counters: new LimitCounters(state) }),
    graphOf: (workflowId) => slice.workflows.find((w) => w.id === workflowId)?.graph,
  };
}

/** Model spend: the usage ledger's day totals. */
export function usageLedgerSpend(state: Table): SpendPort {
  const ledger = new UsageLedger(state);
  return { dayCostUsd: async (day) => (await ledger.dayTotals(day)).costUsd };
}

/** `AIOS_CONSOLE_TRIGGERS` (set by the stack, and by the local runtime): each workflow's state machine, rules and schedules. */
export function triggerDirectory(env: { AIOS_CONSOLE_TRIGGERS?: string }): TriggerDirectory {
  const raw = env.AIOS_CONSOLE_TRIGGERS;
  if (!raw)
    throw new Error(
      "AIOS_CONSOLE_TRIGGERS is not set: the console finds each workflow's state machine, rules and schedules there (the stack and the local runtime set it)",
    );
  const parsed = z.safeParse((triggerDirectorySchema ??= triggerDirectoryShape()), JSON.parse(raw));
  if (!parsed.success) throw new Error(`AIOS_CONSOLE_TRIGGERS is not valid: ${parsed.error.message}`);
  return parsed.data;
}

// Built on the first request, not while the Lambda loads.
let triggerDirectorySchema: ReturnType<typeof triggerDirectoryShape> | undefined;

function triggerDirectoryShape() {
  return z.record(
    z.string(),
    z.object({
      stateMachineArn: z.string().check(z.minLength(1)),
      rules: z.array(z.object({ bus: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)) })),
      schedules: z.array(z.string().check(z.minLength(1))),
    }),
  );
}

/** The console's adapters over `env`, its part of the definition and the knowledge base `knowledge` makes (shared/composition/knowledge*.ts). */
export function consoleDeps(env: AiosEnvironment, slice: ConsoleSlice, knowledge: (env: AiosEnvironment) => ConsoleKnowledge): ConsoleDeps {
  const state = stateTable(env);
  const audit = auditLog(env);
  const approvals = approvalDeps(env, slice, { audit });
  const directory = triggerDirectory({ AIOS_CONSOLE_TRIGGERS: env.consoleTriggers });
  const executions = stepFunctionsExecutions(
    sfnClient({}, env.vars),
    slice.workflows.map((w) => w.id),
    Object.fromEntries(Object.entries(directory).map(([id, t]) => [id, t.stateMachineArn])),
  );
  const publicUrl = approvals.publicUrl.replace(/\/+$/, '');
  return {
    definition: consoleDefinition(slice, state),
    approvals,
    approvalLists: new ApprovalLists(state),
    audit,
    sessions: new SessionStore(state),
    signInLinks: new SignInLinkStore(state),
    controls: new ControlStore(state),
    executions,
    runsToday: new RunsToday(executions, state),
    triggers: eventBridgeTriggerSwitch({ events: eventBridgeClient({}, env.vars), directory, scheduler: schedulerClient({}, env.vars) }),
    spend: usageLedgerSpend(state),
    conversations: new RunConversations(state),
    knowledge: knowledge(env),
    mailer: mailer(env),
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    now: () => new Date(),
  };
}
