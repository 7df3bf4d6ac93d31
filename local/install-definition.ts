/**
 * Installs a business definition into the running local runtime through the
 * same AWS APIs a deployment uses, from the same deployment plan CDK renders:
 * tables, one state machine per workflow (the plan's ASL, placeholders filled
 * with local function ARNs), the bus and one rule per planned rule, the
 * scheduler for planned schedules, the tool functions, and the seed
 * knowledge. Idempotent: a restart updates in place.
 */
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, ListStateMachinesCommand, StartExecutionCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import type { TriggerDirectory } from '../functions/console/adapters/trigger-switch';
import { toolHandler } from '../functions/tool-run';
import { createAwsClients } from '../shared/aws/clients';
import type { AiosEnvironment } from '../shared/composition/environment';
import { functionEnvironment } from '../shared/composition/function-environment';
import { knowledgeStore } from '../shared/composition/knowledge';
import { stateTable, tableNameOf } from '../shared/composition/tables';
import { substitutePlaceholders } from '../shared/compiler';
import { DEFAULT_BUS_NAME, planDeployment, type DeploymentPlan } from '../shared/deployment/deployment-plan';
import { runEndPattern } from '../shared/deployment/run-end-rule';
import { toolFunctionName } from '../shared/definition/tool';
import type { ValidOs } from '../shared/definition/validate';
import { ControlStore } from '../shared/console/controls';
import { syncKnowledgeDirectory } from '../shared/knowledge/seed-sync';
import { ensureTable } from '../shared/storage/dynamodb-table';
import { TABLES } from '../shared/tables';
import type { FunctionRegistry } from './functions';
import { projectPath } from './project-paths';
import { LocalScheduler } from './scheduler';
import { stateMachineArn } from './stepfunctions/arns';

const RULE_PREFIX = 'aios-wf-';
/** The rule on the default bus that records how runs ended where their workflows could not (shared/deployment/run-end-rule.ts). */
export const RUN_END_RULE_NAME = 'aios-run-end';

/** The rules installed for a plan: one per event trigger, on its bus (the runtime's own bus for the default one). */
export function localRules(
  plan: Pick<DeploymentPlan, 'rules'>,
  ownBus: string,
): { bus: string; name: string; workflowId: string; pattern: DeploymentPlan['rules'][number]['pattern'] }[] {
  return plan.rules.map((r) => ({
    bus: r.bus === DEFAULT_BUS_NAME ? ownBus : r.bus,
    name: `${RULE_PREFIX}${r.workflowId}-${r.index}`,
    workflowId: r.workflowId,
    pattern: r.pattern,
  }));
}

/**
 * What the stack tells the console on AWS (`AIOS_CONSOLE_TRIGGERS`), for this runtime: each workflow's
 * machine and rules, so the console steers them with the permissions the plan gives it and lists
 * nothing. No schedules: the local scheduler reads a pause from the control store.
 */
export function localConsoleTriggers(
  plan: Pick<DeploymentPlan, 'workflows' | 'rules'>,
  scope: { region: string; accountId: string },
  ownBus: string,
): TriggerDirectory {
  const rules = localRules(plan, ownBus);
  return Object.fromEntries(
    plan.workflows.map((w) => [
      w.id,
      {
        stateMachineArn: stateMachineArn(scope, w.id),
        rules: rules.filter((r) => r.workflowId === w.id).map(({ bus, name }) => ({ bus, name })),
        schedules: [],
      },
    ]),
  );
}

export interface InstalledDefinition {
  stateMachines: Record<string, string>;
  rules: { bus: string; name: string; workflowId: string }[];
  scheduler: LocalScheduler;
  knowledge: { created: number; updated: number; unchanged: number; retired: number };
}

export interface InstallOptions {
  os: ValidOs;
  /** The deployment plan of `os` (computed when absent). */
  plan?: DeploymentPlan;
  /** The runtime's environment: its endpoint is where the definition is installed. */
  env: AiosEnvironment;
  registry: FunctionRegistry;
  dataDir: string;
  /** The scheduler's clock (tests shift it to reach a slot quickly). */
  now?: () => Date;
}

/** The planned schedule input with the slot time EventBridge Scheduler would put in its place. */
export function scheduledInput(plannedInput: string, time: Date): string {
  return plannedInput.replace('<aws.scheduler.scheduled-time>', time.toISOString());
}

/**
 * Registers one function per tool. The runtime calls this before the engine
 * resumes anything: a tool call resumed before its function exists would fail.
 */
export function registerToolFunctions(registry: FunctionRegistry, os: ValidOs, env: AiosEnvironment): void {
  for (const { id } of os.tools) registry.register(toolFunctionName(id), toolHandler(functionEnvironment(env, toolFunctionName(id)), id));
}

export async function installDefinition(o: InstallOptions): Promise<InstalledDefinition> {
  const env = o.env;
  const plan = o.plan ?? planDeployment(o.os);
  const clients = createAwsClients(env.endpoint ? { endpoint: env.endpoint } : {}, env.vars);
  const sfn = clients.sfn();
  const events = clients.eventBridge();

  for (const id of Object.keys(TABLES) as (keyof typeof TABLES)[]) await ensureTable(clients.dynamoDb(), tableNameOf(env, id));
  registerToolFunctions(o.registry, o.os, env);

  const arnOf = (name: string) => `arn:aws:lambda:${o.registry.region}:${o.registry.accountId}:function:${name}`;
  const values = Object.fromEntries(plan.functions.flatMap((f) => (f.placeholder ? [[f.placeholder, arnOf(f.functionName)]] : [])));
  const existing = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    for (const m of page.stateMachines ?? []) existing.set(m.name!, m.stateMachineArn!);
    nextToken = page.nextToken;
  } while (nextToken);

  const stateMachines: Record<string, string> = {};
  const roleArn = `arn:aws:iam::${o.registry.accountId}:role/aios-local-workflows`;
  for (const { id: workflowId, asl } of plan.workflows) {
    const definition = substitutePlaceholders(asl, values);
    const arn = existing.get(workflowId);
    if (arn) {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition }));
      stateMachines[workflowId] = arn;
    } else {
      const out = await sfn.send(new CreateStateMachineCommand({ name: workflowId, definition, roleArn, type: 'STANDARD' }));
      stateMachines[workflowId] = out.stateMachineArn!;
    }
  }

  // Rules: one per event trigger, on its bus; stale AIOS rules are removed.
  const ownBus = env.busName;
  const wanted = localRules(plan, ownBus);
  for (const bus of new Set([ownBus, ...wanted.map((w) => w.bus)])) {
    await events.send(new CreateEventBusCommand({ Name: bus })).catch((error: { name?: string }) => {
      if (error.name !== 'ResourceAlreadyExistsException') throw error;
    });
    const rules = await events.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: RULE_PREFIX }));
    for (const rule of rules.Rules ?? []) {
      if (wanted.some((w) => w.bus === bus && w.name === rule.Name)) continue;
      const targets = await events.send(new ListTargetsByRuleCommand({ EventBusName: bus, Rule: rule.Name }));
      if (targets.Targets?.length) await events.send(new RemoveTargetsCommand({ EventBusName: bus, Rule: rule.Name, Ids: targets.Targets.map((t) => t.Id!) }));
      await events.send(new DeleteRuleCommand({ EventBusName: bus, Name: rule.Name }));
    }
  }
  // A workflow paused in the console stays paused across restarts: its rules are installed disabled.
  const controls = new ControlStore(stateTable(env));
  const paused = new Set((await controls.of({ workflows: [...new Set(wanted.map((w) => w.workflowId))], agents: [] })).map((c) => c.id));
  for (const w of wanted) {
    await events.send(
      new PutRuleCommand({
        EventBusName: w.bus,
        Name: w.name,
        EventPattern: JSON.stringify(w.pattern),
        State: paused.has(w.workflowId) ? 'DISABLED' : 'ENABLED',
        Description: `starts workflow ${w.workflowId}`,
      }),
    );
    await events.send(
      new PutTargetsCommand({
        EventBusName: w.bus,
        Rule: w.name,
        Targets: [{ Id: 'start-run', Arn: stateMachines[w.workflowId], RoleArn: `arn:aws:iam::${o.registry.accountId}:role/aios-local-events` }],
      }),
    );
  }

  // Step Functions' status changes of the ends the workflows cannot record, as the stack routes them (this runtime's
  // engine sends them to its default bus as Step Functions does: local/aios-runtime.ts).
  if (plan.runEndRule) {
    const fn = plan.functions.find((f) => f.id === plan.runEndRule!.functionId);
    if (!fn) throw new Error(`the run end rule's function ${plan.runEndRule.functionId} is not planned`);
    await events.send(
      new PutRuleCommand({
        EventBusName: 'default',
        Name: RUN_END_RULE_NAME,
        EventPattern: JSON.stringify(runEndPattern(Object.values(stateMachines), plan.runEndRule)),
        State: 'ENABLED',
        Description: plan.runEndRule.description,
      }),
    );
    await events.send(
      new PutTargetsCommand({ EventBusName: 'default', Rule: RUN_END_RULE_NAME, Targets: [{ Id: 'record-run-end', Arn: arnOf(fn.functionName) }] }),
    );
  }

  const scheduler = new LocalScheduler({
    dataDir: o.dataDir,
    ...(o.now ? { now: o.now } : {}),
    schedules: plan.schedules.map((s) => ({ workflowId: s.workflowId, expression: s.expression, timeZone: s.timeZone })),
    start: async (workflowId, scheduledTime) => {
      // The local stand-in for a disabled EventBridge Scheduler schedule: a paused workflow's slots pass by.
      if (await controls.get('workflow', workflowId)) return;
      const planned = plan.schedules.find((s) => s.workflowId === workflowId);
      if (!planned) throw new Error(`no schedule planned for ${workflowId}`);
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: stateMachines[workflowId],
          // Named by the slot: starting the same slot twice returns the same execution.
          name: `schedule-${scheduledTime.getTime()}`,
          input: scheduledInput(planned.input, scheduledTime),
        }),
      );
    },
    onError: (error, workflowId) => process.stderr.write(`schedule of ${workflowId} failed: ${(error as Error).message}\n`),
  });

  const knowledge = await syncKnowledgeDirectory(knowledgeStore(env), projectPath(o.os.knowledge.seedDir));
  return { stateMachines, rules: wanted.map(({ bus, name, workflowId }) => ({ bus, name, workflowId })), scheduler, knowledge: summarise(knowledge) };
}

function summarise(report: unknown): InstalledDefinition['knowledge'] {
  const r = report as Record<string, unknown>;
  const count = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : 0);
  return { created: count(r.created), updated: count(r.updated), unchanged: count(r.unchanged), retired: count(r.retired) };
}
