/**
 * The IAM statements each function's role holds, as plain data. Resources
 * are named by what they are (a table, the bus, a workflow), not by ARN, so
 * the same statements are rendered by CDK into the stack's policies and by
 * the local runtime into the checks it runs on requests signed as a function.
 */
import { baseModelId } from '../agents/prices';
import type { ValidOs } from '../definition';
import { APPROVAL_INDEX_PARTITIONS } from '../approvals/approval-index';
import { AUDIT_CHAIN_KEY } from '../audit/audit-key';
import type { TableId } from '../tables';
import type { Need } from './function-specs';

/** The secret holding the approval link signing key (its name under the deployment's prefix). */
export const APPROVAL_LINK_SECRET = 'approval-link-key';

export type PlannedResource =
  | { kind: 'table'; table: TableId }
  | { kind: 'bus' }
  /** The SES identity of the sender address. */
  | { kind: 'senderIdentity' }
  | { kind: 'secret'; name: string }
  /** Every webhook signing secret. */
  | { kind: 'webhookSecrets' }
  /** A workflow's state machine, by workflow id. */
  | { kind: 'workflow'; workflowId: string }
  /** Every run (execution) of a workflow's state machine. */
  | { kind: 'workflowExecutions'; workflowId: string }
  /** The EventBridge rules of a workflow's event triggers. */
  | { kind: 'workflowRules'; workflowId: string }
  /** The EventBridge Scheduler schedules of a workflow's schedule triggers. */
  | { kind: 'workflowSchedules'; workflowId: string }
  /** The role the schedules start workflows with. */
  | { kind: 'scheduleRole' }
  /** A foundation model; `anyRegion` when an inference profile may route to it in any region of its group. */
  | { kind: 'foundationModel'; modelId: string; anyRegion: boolean }
  | { kind: 'inferenceProfile'; profileId: string }
  | { kind: 'guardrail'; guardrailId: string }
  /** Objects under a prefix of the payload bucket (large webhook deliveries). */
  | { kind: 'payloadObjects'; prefix: string }
  /** A table's DynamoDB stream. */
  | { kind: 'tableStream'; table: TableId }
  /** Objects under a prefix of the audit archive bucket (Object Lock, compliance mode). */
  | { kind: 'auditArchiveObjects'; prefix: string }
  /** Every resource: only for actions IAM authorizes on no narrower one. */
  | { kind: 'any' }
  /** A literal ARN (a tool's declared permissions, a model given as an ARN). */
  | { kind: 'arn'; arn: string };

export type PlannedCondition =
  /** `ses:FromAddress` equals the deployment's sender address. */
  | { kind: 'fromSender' }
  /** Every partition key the request touches matches one of these patterns (`dynamodb:LeadingKeys`, `*` wildcards). */
  | { kind: 'leadingKeys'; patterns: readonly string[] }
  /** `iam:PassedToService` is EventBridge Scheduler. */
  | { kind: 'passedToScheduler' };

export interface PlannedStatement {
  actions: readonly string[];
  resources: readonly PlannedResource[];
  conditions?: readonly PlannedCondition[];
}

// BatchWriteItem only for the approval index (`approvalIndex`). Scan only with the `stateScan` need: the console
// lists every approval and control (the CLI does so with the operator's credentials).
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query'];
/** The state table is also read by keys in batches (the agent step: its suspension and its run's totals; the gate: its suspension and its limits' windows). */
const STATE_BATCH_READ = ['dynamodb:BatchGetItem'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TABLE_DELETE = ['dynamodb:DeleteItem'];
const TABLE_SCAN = ['dynamodb:Scan'];
/** A batch write takes no condition: granted only on the partitions of a new approval's index entries. */
const APPROVAL_INDEX_BATCH = ['dynamodb:BatchWriteItem'];
/** The state-table partitions a tool function writes: its run's idempotency records and results (`run#<runId>`). */
export const TOOL_WRITABLE_KEYS = ['run#*'];
/** Everything an audit writer needs: the conditional put of a record and reading the chain's end. */
export const AUDIT_APPEND_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'];
// Heartbeat: before closing an approval the service asks whether its run still waits (a stopped run's task is gone).
export const TASK_RESPONSE_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];
/** Reading a workflow's runs and stopping one (ListExecutions is on the machine, the rest on its executions). */
export const RUN_LIST_ACTIONS = ['states:ListExecutions'];
export const RUN_STEER_ACTIONS = ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'];
/** Pausing a workflow: its rules… */
export const RULE_SWITCH_ACTIONS = ['events:DisableRule', 'events:EnableRule'];
/** …and its schedules (UpdateSchedule replaces the whole schedule, so it is read first). */
export const SCHEDULE_SWITCH_ACTIONS = ['scheduler:GetSchedule', 'scheduler:UpdateSchedule'];
/** What a stream's event source mapping reads with the function's role (ListStreams takes no narrower resource than "*"). */
export const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
/** Where the archiver writes: `audit/batches/<first>-<last>-<sha256>.jsonl`, an object per stream batch (before: an object per record). */
export const AUDIT_ARCHIVE_PREFIX = 'audit/';
/** Where the ingest function stores oversized deliveries, and the agent step reads them. */
export const PAYLOAD_PREFIX = 'webhooks/';
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
/** A tool reads the value of the secrets it declares, nothing more. */
export const TOOL_SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'];

// Cross-region inference profiles (`us.anthropic…`) route to the model in any region of the group.
const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|global|ca|jp|au)\./;

export interface StatementContext {
  os: Pick<ValidOs, 'agents' | 'tools'>;
  /** Workflows whose machines wait for approvals: the functions that answer task tokens may answer theirs. */
  approvalWorkflowIds: readonly string[];
  /** Every workflow, and those with event triggers (rules) and schedule triggers: what the console steers. */
  workflows: { ids: readonly string[]; withRules: readonly string[]; withSchedules: readonly string[] };
  /** The Bedrock embeddings model knowledge search and writes call, when embeddings are on. */
  embeddingsModel?: string;
}

/**
 * The statements a function with these needs holds (beyond writing its own logs).
 *
 * @example statementsFor(['bus'], undefined, ctx) // [{ actions: ['events:PutEvents'], resources: [{ kind: 'bus' }] }]
 */
export function statementsFor(needs: readonly Need[], toolId: string | undefined, ctx: StatementContext): PlannedStatement[] {
  const has = new Set(needs);
  const out: PlannedStatement[] = [];
  if (has.has('state'))
    out.push({
      actions: [
        ...TABLE_READ,
        ...STATE_BATCH_READ,
        ...TABLE_WRITE,
        ...(has.has('stateDelete') ? TABLE_DELETE : []),
        ...(has.has('stateScan') ? TABLE_SCAN : []),
      ],
      resources: [{ kind: 'table', table: 'state' }],
    });
  if (has.has('approvalIndex'))
    out.push({
      actions: APPROVAL_INDEX_BATCH,
      resources: [{ kind: 'table', table: 'state' }],
      conditions: [{ kind: 'leadingKeys', patterns: APPROVAL_INDEX_PARTITIONS }],
    });
  if (has.has('runRecords')) {
    // A tool reads the approval that allowed its call, but writes only its run's records: never an approval.
    out.push({ actions: TABLE_READ, resources: [{ kind: 'table', table: 'state' }] });
    out.push({ actions: TABLE_WRITE, resources: [{ kind: 'table', table: 'state' }], conditions: [{ kind: 'leadingKeys', patterns: TOOL_WRITABLE_KEYS }] });
  }
  if (has.has('audit')) {
    out.push({ actions: AUDIT_APPEND_ACTIONS, resources: [{ kind: 'table', table: 'audit' }] });
    // Records are keyed (HMAC): an audit writer reads the chain key, so write access alone cannot forge a chain.
    out.push({ actions: SECRET_READ_ACTIONS, resources: [{ kind: 'secret', name: AUDIT_CHAIN_KEY }] });
  }
  if (has.has('auditScan')) out.push({ actions: TABLE_SCAN, resources: [{ kind: 'table', table: 'audit' }] });
  if (has.has('knowledgeWrite')) out.push({ actions: [...TABLE_READ, ...TABLE_WRITE, ...TABLE_DELETE], resources: [{ kind: 'table', table: 'knowledge' }] });
  else if (has.has('knowledgeRead')) out.push({ actions: TABLE_READ, resources: [{ kind: 'table', table: 'knowledge' }] });
  if ((has.has('knowledgeRead') || has.has('knowledgeWrite')) && ctx.embeddingsModel) {
    out.push({ actions: ['bedrock:InvokeModel'], resources: [{ kind: 'foundationModel', modelId: ctx.embeddingsModel, anyRegion: false }] });
  }
  if (has.has('bus')) out.push({ actions: ['events:PutEvents'], resources: [{ kind: 'bus' }] });
  if (has.has('payloads')) out.push({ actions: ['s3:PutObject'], resources: [{ kind: 'payloadObjects', prefix: PAYLOAD_PREFIX }] });
  if (has.has('payloadsRead')) out.push({ actions: ['s3:GetObject'], resources: [{ kind: 'payloadObjects', prefix: PAYLOAD_PREFIX }] });
  if (has.has('auditStream')) {
    out.push({ actions: STREAM_READ_ACTIONS, resources: [{ kind: 'tableStream', table: 'audit' }] });
    out.push({ actions: ['dynamodb:ListStreams'], resources: [{ kind: 'any' }] });
  }
  // PutObject only: the bucket's default retention locks each object; no delete, no retention change, no read.
  if (has.has('auditArchive')) out.push({ actions: ['s3:PutObject'], resources: [{ kind: 'auditArchiveObjects', prefix: AUDIT_ARCHIVE_PREFIX }] });
  if (has.has('email')) out.push({ actions: ['ses:SendEmail'], resources: [{ kind: 'senderIdentity' }], conditions: [{ kind: 'fromSender' }] });
  if (has.has('linkKey')) out.push({ actions: SECRET_READ_ACTIONS, resources: [{ kind: 'secret', name: APPROVAL_LINK_SECRET }] });
  if (has.has('webhookSecrets')) out.push({ actions: SECRET_READ_ACTIONS, resources: [{ kind: 'webhookSecrets' }] });
  if (has.has('taskResponse') && ctx.approvalWorkflowIds.length > 0) {
    out.push({ actions: TASK_RESPONSE_ACTIONS, resources: ctx.approvalWorkflowIds.map((workflowId) => ({ kind: 'workflow' as const, workflowId })) });
  }
  if (has.has('steering')) out.push(...steeringStatements(ctx.workflows));
  if (has.has('bedrock')) out.push(...modelStatements(ctx.os.agents));
  const tool = toolId ? ctx.os.tools.find((t) => t.id === toolId) : undefined;
  for (const statement of tool?.permissions ?? []) {
    out.push({ actions: [...statement.actions], resources: statement.resources.map((arn) => ({ kind: 'arn' as const, arn })) });
  }
  // The secrets the tool declares, each by itself: reading one never reaches another tool's.
  const toolSecrets = (tool?.secrets ?? []).map((s) => s.name);
  if (toolSecrets.length > 0) out.push({ actions: TOOL_SECRET_READ_ACTIONS, resources: toolSecrets.map((name) => ({ kind: 'secret' as const, name })) });
  return out;
}

/**
 * What the console needs to read, stop and pause the deployment's own workflows: their runs, their
 * rules and their schedules, and passing the schedules' role back (UpdateSchedule resends the target).
 */
function steeringStatements(workflows: StatementContext['workflows']): PlannedStatement[] {
  const out: PlannedStatement[] = [];
  if (workflows.ids.length > 0) {
    out.push({ actions: RUN_LIST_ACTIONS, resources: workflows.ids.map((workflowId) => ({ kind: 'workflow' as const, workflowId })) });
    out.push({ actions: RUN_STEER_ACTIONS, resources: workflows.ids.map((workflowId) => ({ kind: 'workflowExecutions' as const, workflowId })) });
  }
  if (workflows.withRules.length > 0)
    out.push({ actions: RULE_SWITCH_ACTIONS, resources: workflows.withRules.map((workflowId) => ({ kind: 'workflowRules' as const, workflowId })) });
  if (workflows.withSchedules.length > 0) {
    out.push({
      actions: SCHEDULE_SWITCH_ACTIONS,
      resources: workflows.withSchedules.map((workflowId) => ({ kind: 'workflowSchedules' as const, workflowId })),
    });
    out.push({ actions: ['iam:PassRole'], resources: [{ kind: 'scheduleRole' }], conditions: [{ kind: 'passedToScheduler' }] });
  }
  return out;
}

/** bedrock:InvokeModel (Converse) on exactly the agents' models, and their guardrails. */
function modelStatements(agents: StatementContext['os']['agents']): PlannedStatement[] {
  const resources = new Map<string, PlannedResource>();
  for (const { model } of agents) {
    if (model.startsWith('arn:')) resources.set(model, { kind: 'arn', arn: model });
    else if (INFERENCE_PROFILE.test(model)) {
      resources.set(`profile:${model}`, { kind: 'inferenceProfile', profileId: model });
      resources.set(`model:${baseModelId(model)}:any`, { kind: 'foundationModel', modelId: baseModelId(model), anyRegion: true });
    } else resources.set(`model:${model}`, { kind: 'foundationModel', modelId: model, anyRegion: false });
  }
  const out: PlannedStatement[] = [];
  if (resources.size > 0)
    out.push({ actions: ['bedrock:InvokeModel'], resources: [...resources.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r) });
  const guardrails = [...new Set(agents.flatMap((a) => (a.guardrail ? [a.guardrail.id] : [])))].sort();
  if (guardrails.length > 0)
    out.push({ actions: ['bedrock:ApplyGuardrail'], resources: guardrails.map((guardrailId) => ({ kind: 'guardrail' as const, guardrailId })) });
  return out;
}
