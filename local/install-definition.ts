/**
 * Installs a business definition into the running local runtime through the
 * same AWS APIs a deployment uses: tables, one state machine per workflow
 * (compiled ASL, placeholders filled with local function ARNs), the bus and
 * one rule per event trigger, the scheduler for schedule triggers, the tool
 * functions, and the seed knowledge. Idempotent: a restart updates in place.
 */
import path from 'node:path';
import { CreateEventBusCommand, DeleteRuleCommand, ListRulesCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, ListStateMachinesCommand, StartExecutionCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { toolHandler } from '../functions/tool-run';
import { createAwsClients } from '../shared/aws/clients';
import { compileAll, functionPlaceholders, substitutePlaceholders } from '../shared/compiler';
import { toolFunctionName } from '../shared/definition/tool';
import type { ValidOs } from '../shared/definition/validate';
import { knowledgeStore } from '../shared/knowledge';
import { syncKnowledgeDirectory } from '../shared/knowledge/seed-sync';
import { ensureTable } from '../shared/storage/dynamodb-table';
import { TABLES, tableName } from '../shared/tables';
import type { FunctionRegistry } from './functions';
import { LocalScheduler } from './scheduler';

const RULE_PREFIX = 'aios-wf-';
const PROJECT_ROOT = path.join(__dirname, '..');

export interface InstalledDefinition {
  stateMachines: Record<string, string>;
  rules: { bus: string; name: string; workflowId: string }[];
  scheduler: LocalScheduler;
  knowledge: { created: number; updated: number; unchanged: number; retired: number };
}

export interface InstallOptions {
  os: ValidOs;
  endpoint: string;
  registry: FunctionRegistry;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The scheduler's clock (tests shift it to reach a slot quickly). */
  now?: () => Date;
}

/** The input a scheduled run starts with (the same shape EventBridge Scheduler gets from CDK). */
export function scheduledEvent(time: Date, detail: Record<string, unknown> = {}): Record<string, unknown> {
  return { source: 'aios.scheduler', 'detail-type': 'Scheduled Event', time: time.toISOString(), detail };
}

/**
 * Registers one function per tool. The runtime calls this before the engine
 * resumes anything: a tool call resumed before its function exists would fail.
 */
export function registerToolFunctions(registry: FunctionRegistry, os: ValidOs): void {
  for (const tool of os.tools) registry.register(toolFunctionName(tool.id), toolHandler(tool.id));
}

export async function installDefinition(o: InstallOptions): Promise<InstalledDefinition> {
  const env = o.env ?? process.env;
  const clients = createAwsClients({ endpoint: o.endpoint }, env);
  const sfn = clients.sfn();
  const events = clients.eventBridge();

  for (const id of Object.keys(TABLES) as (keyof typeof TABLES)[]) await ensureTable(clients.dynamoDb(), tableName(id, env));
  registerToolFunctions(o.registry, o.os);

  const arnOf = (name: string) => `arn:aws:lambda:${o.registry.region}:${o.registry.accountId}:function:${name}`;
  const values = Object.fromEntries(Object.entries(functionPlaceholders(o.os.tools.map((t) => t.id))).map(([k, name]) => [k, arnOf(name)]));
  const existing = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    for (const m of page.stateMachines ?? []) existing.set(m.name!, m.stateMachineArn!);
    nextToken = page.nextToken;
  } while (nextToken);

  const stateMachines: Record<string, string> = {};
  const roleArn = `arn:aws:iam::${o.registry.accountId}:role/aios-local-workflows`;
  for (const [workflowId, asl] of compileAll(o.os)) {
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
  const wanted: { bus: string; name: string; workflowId: string; pattern: Record<string, unknown> }[] = [];
  for (const wf of o.os.workflows) {
    wf.triggers.forEach((t, i) => {
      if (t.kind === 'event') wanted.push({ bus: t.bus ?? (env.AIOS_BUS_NAME || 'aios'), name: `${RULE_PREFIX}${wf.id}-${i}`, workflowId: wf.id, pattern: t.pattern });
    });
  }
  for (const bus of new Set([env.AIOS_BUS_NAME || 'aios', ...wanted.map((w) => w.bus)])) {
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
  for (const w of wanted) {
    await events.send(new PutRuleCommand({ EventBusName: w.bus, Name: w.name, EventPattern: JSON.stringify(w.pattern), State: 'ENABLED', Description: `starts workflow ${w.workflowId}` }));
    await events.send(
      new PutTargetsCommand({
        EventBusName: w.bus,
        Rule: w.name,
        Targets: [{ Id: 'start-run', Arn: stateMachines[w.workflowId], RoleArn: `arn:aws:iam::${o.registry.accountId}:role/aios-local-events` }],
      }),
    );
  }

  const scheduler = new LocalScheduler({
    dataDir: o.dataDir,
    ...(o.now ? { now: o.now } : {}),
    schedules: o.os.workflows.flatMap((wf) => wf.triggers.flatMap((t) => (t.kind === 'schedule' ? [{ workflowId: wf.id, expression: t.expression, ...(t.timeZone ? { timeZone: t.timeZone } : {}) }] : []))),
    start: async (workflowId, scheduledTime) => {
      const trigger = o.os.workflows.find((w) => w.id === workflowId)?.triggers.find((t) => t.kind === 'schedule');
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: stateMachines[workflowId],
          // Named by the slot: starting the same slot twice returns the same execution.
          name: `schedule-${scheduledTime.getTime()}`,
          input: JSON.stringify(scheduledEvent(scheduledTime, trigger?.kind === 'schedule' ? (trigger.input ?? {}) : {})),
        }),
      );
    },
    onError: (error, workflowId) => process.stderr.write(`schedule of ${workflowId} failed: ${(error as Error).message}\n`),
  });

  const knowledge = await syncKnowledgeDirectory(knowledgeStore(), path.resolve(PROJECT_ROOT, o.os.knowledge.seedDir));
  return { stateMachines, rules: wanted.map(({ bus, name, workflowId }) => ({ bus, name, workflowId })), scheduler, knowledge: summarise(knowledge) };
}

function summarise(report: unknown): InstalledDefinition['knowledge'] {
  const r = report as Record<string, unknown>;
  const count = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : 0);
  return { created: count(r.created), updated: count(r.updated), unchanged: count(r.unchanged), retired: count(r.retired) };
}
