/**
 * Everything the stack deploys, derived from the validated definition and
 * the compiled ASL — plain data, no CDK, so it is unit-tested on its own and
 * shared by the stack, the local runtime (rules, schedules, the permissions it
 * enforces), `aios cost` and the bundles bench.
 */
import { compileAll, placeholdersIn } from '../compiler';
import { toolFunctionName, toolPlaceholder, type ValidOs } from '../definition';
import { AiosError } from '../errors';
import { SYSTEM_FUNCTION_SPECS, TOOL_RUN_ENTRY, type FunctionSpec } from './function-specs';
import { statementsFor, type PlannedStatement } from './statements';
import { RUN_END_RULE, type RunEndRulePlan } from './run-end-rule';
import { toolNeeds } from './tool-needs';

export const DEFAULT_BUS_NAME = 'aios';

export interface WorkflowPlan {
  id: string;
  description: string;
  /** The compiled ASL with `${Fn…}` placeholders. */
  asl: string;
  /** Placeholders the ASL uses, each a key of `DeploymentPlan.functions` by placeholder. */
  placeholders: string[];
  /** Whether the workflow waits for approvals (`.waitForTaskToken`): the approval pages must answer it. */
  waitsForApprovals: boolean;
}

export interface EventRulePlan {
  workflowId: string;
  /** Position among the workflow's triggers (stable construct ids). */
  index: number;
  /** The bus the rule listens on: `aios` or a partner bus (`aws.partner/...`). */
  bus: string;
  pattern: Record<string, unknown>;
  description: string;
}

export interface SchedulePlan {
  workflowId: string;
  index: number;
  expression: string;
  timeZone: string;
  /** The state machine input: the shape of an EventBridge event, as the workflow expects. */
  input: string;
  description: string;
}

/** A function of the deployment with the IAM statements its role holds (beyond its own logs). */
export interface PlannedFunction extends FunctionSpec {
  statements: readonly PlannedStatement[];
}

export interface DeploymentPlan {
  workflows: WorkflowPlan[];
  /** System functions and one function per tool some workflow invokes, sorted by id. */
  functions: PlannedFunction[];
  rules: EventRulePlan[];
  schedules: SchedulePlan[];
  /** Step Functions' status change of the ends the workflows cannot record, to the function that records them (none without workflows). */
  runEndRule: RunEndRulePlan | null;
}

export class DeploymentPlanError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Deployment.InvalidPlan', message, details);
  }
}

/** Default memory for tool functions: they mostly wait on HTTP or DynamoDB. */
const TOOL_MEMORY_MB = 512;

function toolFunctionSpec(tool: ValidOs['tools'][number]): FunctionSpec {
  return {
    id: `tool-${tool.id.replace(/\./g, '-')}`,
    functionName: toolFunctionName(tool.id),
    entry: TOOL_RUN_ENTRY,
    placeholder: toolPlaceholder(tool.id),
    memoryMb: TOOL_MEMORY_MB,
    timeoutSeconds: tool.timeoutSeconds,
    needs: toolNeeds(tool),
    toolId: tool.id,
    secrets: tool.secrets.map((s) => s.name),
    typicalMs: 300,
    // idempotency record read + claim + result write, the approval read, an audit append
    typicalDynamoDb: { reads: 3, writes: 4 },
    // Its own entry (infra/tool-entries.ts): the example's tools measure 398–452 KiB (the largest, email.send, carries SES).
    bundleBudgetBytes: 480 * 1024,
  };
}

/**
 * The deployment of a definition.
 *
 * @example
 * const plan = planDeployment(loadValidOs(definition));
 * plan.workflows.map((w) => w.id); // ['sales-follow-up', 'support-desk', 'weekly-review']
 */
export interface PlanOptions {
  /** Turn knowledge embeddings on with this Bedrock model (e.g. `amazon.titan-embed-text-v2:0`). */
  embeddingsModel?: string;
}

export function planDeployment(os: ValidOs, options: PlanOptions = {}): DeploymentPlan {
  const compiled = compileAll(os);
  const byPlaceholder = new Map<string, FunctionSpec>();
  for (const spec of Object.values(SYSTEM_FUNCTION_SPECS)) if (spec.placeholder) byPlaceholder.set(spec.placeholder, spec);
  for (const tool of os.tools) byPlaceholder.set(toolPlaceholder(tool.id), toolFunctionSpec(tool));

  const workflows: WorkflowPlan[] = [];
  const used = new Map<string, FunctionSpec>();
  for (const workflow of os.workflows) {
    const asl = compiled.get(workflow.id);
    if (asl === undefined) throw new DeploymentPlanError(`workflow "${workflow.id}" did not compile`, { workflowId: workflow.id });
    const placeholders = placeholdersIn(asl);
    for (const name of placeholders) {
      const spec = byPlaceholder.get(name);
      if (!spec)
        throw new DeploymentPlanError(`workflow "${workflow.id}" invokes \${${name}}, which no function provides`, {
          workflowId: workflow.id,
          placeholder: name,
        });
      used.set(spec.id, spec);
    }
    workflows.push({ id: workflow.id, description: workflow.description, asl, placeholders, waitsForApprovals: asl.includes('.waitForTaskToken') });
  }
  // The API routes these whether or not a workflow waits for approvals; the seed is loaded on every deploy.
  for (const id of ['approval-http', 'webhook-ingest', 'console', 'knowledge-sync'] as const) used.set(id, SYSTEM_FUNCTION_SPECS[id]);
  // Approval links are only sent when some workflow waits; without one the request function is unused.
  // Every audit write is archived (Object Lock) by the stream's function.
  used.set('audit-archive', SYSTEM_FUNCTION_SPECS['audit-archive']);
  // Decisions a crash left half-done are finished by a sweep, when some workflow waits for approvals.
  if (workflows.some((w) => w.waitsForApprovals)) used.set('approval-reconcile', SYSTEM_FUNCTION_SPECS['approval-reconcile']);

  const rules: EventRulePlan[] = [];
  const schedules: SchedulePlan[] = [];
  for (const workflow of os.workflows) {
    workflow.triggers.forEach((trigger, index) => {
      if (trigger.kind === 'event') {
        rules.push({
          workflowId: workflow.id,
          index,
          bus: trigger.bus ?? DEFAULT_BUS_NAME,
          pattern: trigger.pattern,
          description: trigger.description ?? `starts ${workflow.id}`,
        });
      } else if (trigger.kind === 'schedule') {
        const input = scheduleTargetInput(trigger.input ?? {});
        schedules.push({
          workflowId: workflow.id,
          index,
          expression: trigger.expression,
          timeZone: trigger.timeZone ?? 'UTC',
          input,
          description: trigger.description ?? `starts ${workflow.id}`,
        });
      }
    });
  }
  const approvalWorkflowIds = workflows.filter((w) => w.waitsForApprovals).map((w) => w.id);
  const withTrigger = (list: readonly { workflowId: string }[]) => workflows.map((w) => w.id).filter((id) => list.some((t) => t.workflowId === id));
  const steerable = { ids: workflows.map((w) => w.id), withRules: withTrigger(rules), withSchedules: withTrigger(schedules) };
  const functions = [...used.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((spec) => ({
      ...spec,
      statements: statementsFor(spec.needs, spec.toolId, {
        os,
        approvalWorkflowIds,
        workflows: steerable,
        ...(options.embeddingsModel ? { embeddingsModel: options.embeddingsModel } : {}),
      }),
    }));
  return { workflows, functions, rules, schedules, runEndRule: workflows.length > 0 ? RUN_END_RULE : null };
}

/**
 * The input a schedule gives its workflow: an event like EventBridge's
 * scheduled events, its time left as the placeholder EventBridge Scheduler
 * fills when it fires (the local scheduler fills it the same way).
 */
export function scheduleTargetInput(detail: unknown): string {
  return `{"source":"aios.scheduler","detail-type":"Scheduled Event","time":"<aws.scheduler.scheduled-time>","detail":${JSON.stringify(detail)}}`;
}
