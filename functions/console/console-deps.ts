/**
 * The console's one composition root: the definition, the approval
 * service's ports (shared with the email link), the console's stores on the
 * `state` and `audit` tables, and the AWS adapters (Step Functions,
 * EventBridge, Scheduler) from the client factory. The Lambda and the local
 * runtime both build it here.
 */
import type { AslScope } from '../../shared/compiler/asl';
import { compileWorkflow } from '../../shared/compiler';
import { awsCostOfRun } from '../../shared/cost/run-cost';
import { explainCall } from '../../shared/rights/explain-call';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { MemoryTable } from '../../shared/storage/memory-table';
import { ConversationStore } from '../../shared/agents/conversation-store';
import { eventBridgeClient } from '../../shared/aws/eventbridge';
import { schedulerClient } from '../../shared/aws/scheduler';
import { sfnClient } from '../../shared/aws/sfn';
import { approvalDeps } from '../../shared/composition/approvals';
import { mailer } from '../../shared/composition/mailer';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { knowledgeStore } from '../../shared/composition/knowledge';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { ControlStore } from '../../shared/console/controls';
import type { ConsoleDefinition, ConsoleDeps } from '../../shared/console/deps';
import type { SpendPort } from '../../shared/console/ports';
import { SessionStore } from '../../shared/console/session-store';
import { SignInLinkStore } from '../../shared/console/sign-in-links';
import type { ValidOs } from '../../shared/definition';
import { queryAll, type Table } from '../../shared/storage/table';
import { currentOs } from '../current-os';
import { stepFunctionsExecutions } from './adapters/step-functions-executions';
import { eventBridgeTriggerSwitch, type TriggerDirectory } from './adapters/trigger-switch';
import * as z from 'zod';

/** What the console shows of the definition. */
export function consoleDefinition(os: ValidOs, state?: Table): ConsoleDefinition {
  const machines = new Map<string, AslScope>();
  return {
    name: os.name,
    workflows: os.workflows.map((w) => ({ id: w.id, description: w.description })),
    agents: os.agents.map((a) => ({ id: a.id, description: `uses ${a.tools.join(', ') || 'no tools'}` })),
    rules: os.rules.map((r) => ({ id: r.id, ...(r.description ? { description: r.description } : {}) })),
    promptAgents: os.agents,
    toolIds: os.tools.map((t) => t.id),
    decisionRules: os.rules,
    // us-east-1 list prices, as `aios cost` uses by default; planned on the first outcomes page, not at cold start.
    awsCostOfRun: awsCostOfRun(os),
    // Rolling limits are read from the state table and never consumed, as the CLI does.
    explain: (question, now) => explainCall(os, question, { now, counters: new LimitCounters(state ?? new MemoryTable()) }),
    machineOf: (workflowId) => {
      const workflow = os.workflows.find((w) => w.id === workflowId);
      if (!workflow) return undefined;
      if (!machines.has(workflowId)) machines.set(workflowId, compileWorkflow(workflow, os));
      return machines.get(workflowId);
    },
  };
}

/** Model spend of a run: the usage ledger's per-agent totals (`run#<id>`, `usage#<agent>`). */
export function usageLedgerSpend(state: Table): SpendPort {
  return {
    async runCostUsd(runId) {
      const items = await queryAll(state, `run#${runId}`, { skPrefix: 'usage#' });
      return items.reduce((sum, i) => sum + (Number(i.costUsd) || 0), 0);
    },
  };
}

/** `AIOS_CONSOLE_TRIGGERS` (set by the stack): each workflow's state machine, rules and schedules. */
export function triggerDirectory(env: { AIOS_CONSOLE_TRIGGERS?: string }): TriggerDirectory | undefined {
  const raw = env.AIOS_CONSOLE_TRIGGERS;
  if (!raw) return undefined;
  const parsed = triggerDirectorySchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`AIOS_CONSOLE_TRIGGERS is not valid: ${parsed.error.message}`);
  return parsed.data;
}

const triggerDirectorySchema = z.record(
  z.string(),
  z.object({
    stateMachineArn: z.string().min(1),
    rules: z.array(z.object({ bus: z.string().min(1), name: z.string().min(1) })),
    schedules: z.array(z.string().min(1)),
  }),
);

/** The console's adapters over `env`; the definition is `currentOs` of it unless given. */
export function consoleDeps(env: AiosEnvironment, os: ValidOs = currentOs(env.vars)): ConsoleDeps {
  const state = stateTable(env);
  const audit = auditLog(env);
  const approvals = approvalDeps(env, os, { audit });
  const directory = triggerDirectory({ AIOS_CONSOLE_TRIGGERS: env.consoleTriggers });
  const executions = stepFunctionsExecutions(
    sfnClient({}, env.vars),
    os.workflows.map((w) => w.id),
    directory ? Object.fromEntries(Object.entries(directory).map(([id, t]) => [id, t.stateMachineArn])) : undefined,
  );
  const defaultBus = env.busName;
  const publicUrl = approvals.publicUrl.replace(/\/+$/, '');
  return {
    definition: consoleDefinition(os, state),
    approvals,
    audit,
    sessions: new SessionStore(state),
    signInLinks: new SignInLinkStore(state),
    controls: new ControlStore(state),
    executions,
    triggers: eventBridgeTriggerSwitch({
      events: eventBridgeClient({}, env.vars),
      executions,
      busesOf: (id) => [...new Set((os.workflows.find((w) => w.id === id)?.triggers ?? []).flatMap((t) => (t.kind === 'event' ? [t.bus ?? defaultBus] : [])))],
      ...(directory ? { directory, scheduler: schedulerClient({}, env.vars) } : {}),
    }),
    spend: usageLedgerSpend(state),
    conversations: new ConversationStore(state),
    knowledge: knowledgeStore(env),
    mailer: mailer(env),
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    now: () => new Date(),
  };
}
