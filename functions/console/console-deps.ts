/**
 * The console's one composition root: the definition, the approval
 * service's ports (shared with the email link), the console's stores on the
 * `state` and `audit` tables, and the AWS adapters (Step Functions,
 * EventBridge, Scheduler) from the client factory. The Lambda and the local
 * runtime both build it here.
 */
import { runtimeApprovalDeps } from '../../shared/approvals/runtime-deps';
import { AuditLog } from '../../shared/audit/audit-log';
import { awsClients } from '../../shared/aws/clients';
import { ControlStore } from '../../shared/console/controls';
import type { ConsoleDefinition, ConsoleDeps } from '../../shared/console/deps';
import type { SpendPort } from '../../shared/console/ports';
import { SessionStore } from '../../shared/console/session-store';
import { SignInLinkStore } from '../../shared/console/sign-in-links';
import type { ValidOs } from '../../shared/definition';
import { queryAll, type Table } from '../../shared/storage/table';
import { openTable } from '../../shared/tables';
import { currentOs } from '../current-os';
import { stepFunctionsExecutions } from './adapters/step-functions-executions';
import { eventBridgeTriggerSwitch } from './adapters/trigger-switch';

/** What the console shows of the definition. */
export function consoleDefinition(os: ValidOs): ConsoleDefinition {
  return {
    name: os.name,
    workflows: os.workflows.map((w) => ({ id: w.id, description: w.description })),
    agents: os.agents.map((a) => ({ id: a.id, description: `uses ${a.tools.join(', ') || 'no tools'}` })),
    rules: os.rules.map((r) => ({ id: r.id, ...(r.description ? { description: r.description } : {}) })),
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

export function consoleDeps(os: ValidOs = currentOs(), env: NodeJS.ProcessEnv = process.env): ConsoleDeps {
  const state = openTable('state');
  const audit = new AuditLog(openTable('audit'));
  const approvals = runtimeApprovalDeps(os, { audit });
  const clients = awsClients();
  const executions = stepFunctionsExecutions(
    clients.sfn(),
    os.workflows.map((w) => w.id),
  );
  const defaultBus = env.AIOS_BUS_NAME || 'aios';
  const publicUrl = approvals.publicUrl.replace(/\/+$/, '');
  return {
    definition: consoleDefinition(os),
    approvals,
    audit,
    sessions: new SessionStore(state),
    signInLinks: new SignInLinkStore(state),
    controls: new ControlStore(state),
    executions,
    triggers: eventBridgeTriggerSwitch({
      events: clients.eventBridge(),
      executions,
      busesOf: (id) => [...new Set((os.workflows.find((w) => w.id === id)?.triggers ?? []).flatMap((t) => (t.kind === 'event' ? [t.bus ?? defaultBus] : [])))],
      ...(env.AIOS_SCHEDULE_NAME_PREFIX ? { schedules: { client: clients.scheduler(), namePrefix: env.AIOS_SCHEDULE_NAME_PREFIX } } : {}),
    }),
    spend: usageLedgerSpend(state),
    mailer: approvals.mailer,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    now: () => new Date(),
  };
}
