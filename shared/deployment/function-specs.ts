/**
 * What each AIOS Lambda is and what it may touch, as plain data: the CDK
 * constructs turn it into functions and grants, `aios cost` reads memory and
 * typical durations from it, the bundles bench reads the size budgets.
 */
import { SYSTEM_FUNCTIONS } from '../compiler/resources';

/** A capability a function's role is granted (and the env it is told about). */
export type Need =
  | 'state' // read/write the state table (runs, approvals, counters, dedupe, results)
  | 'stateDelete' // also delete state items (the agent step rewinds a conversation on a retried turn; the console signs out; a finished approval effect's to-do is removed; a webhook claim whose publish failed is released)
  | 'approvalIndex' // put a new approval's index entries in one BatchWriteItem (on the index's partitions only: a batch writes unconditionally)
  | 'runRecords' // a tool: read the state table, write only its run's records (dynamodb:LeadingKeys)
  | 'audit' // append-only: PutItem/GetItem/Query on the audit table
  | 'knowledgeRead'
  | 'knowledgeWrite'
  | 'bus' // events:PutEvents on the aios bus
  | 'email' // ses:SendEmail from the sender identity only
  | 'linkKey' // read the approval link signing key
  | 'webhookSecrets' // read the webhook signing secrets
  | 'taskResponse' // states:SendTaskSuccess/Failure on machines that wait for approvals (by name: no reference cycle)
  | 'bedrock' // bedrock:InvokeModel on the agents' models
  | 'publicUrl' // told the approvals API base URL
  | 'payloads' // store webhook bodies too big for an event in the payload bucket
  | 'payloadsRead' // read those stored bodies (the agent step hands the whole delivery to the agent)
  | 'auditStream' // read the audit table's stream (the archiver's event source)
  | 'auditArchive' // put objects in the Object Lock audit archive bucket (never delete, never set retention)
  | 'stateScan' // also scan the state table (the console lists approvals and controls; no query reaches every partition)
  | 'auditScan' // also scan the audit table (the console's rights counts and audit page read every run's trail)
  | 'steering'; // the console: read and stop the workflows' runs, switch their rules and schedules

export type SystemFunctionId =
  | 'agent-step'
  | 'tool-gate'
  | 'approval-request'
  | 'approval-http'
  | 'approval-reconcile'
  | 'audit-archive'
  | 'emit-event'
  | 'webhook-ingest'
  | 'console'
  | 'knowledge-sync';

export interface FunctionSpec {
  /** Construct id and the function name's suffix (`aios-<id>`). */
  id: string;
  /** Lambda function name with the default prefix `aios`. */
  functionName: string;
  /** Handler entry, relative to the repository root. */
  entry: string;
  /** The ASL placeholder the compiler uses for it, when a workflow invokes it. */
  placeholder: string | null;
  memoryMb: number;
  timeoutSeconds: number;
  needs: readonly Need[];
  /** Set for tool functions: the tool id (AIOS_TOOL_ID). */
  toolId?: string;
  /** Tool functions: the secrets the tool declares; the function gets each one's id (`AIOS_SECRET_ARN_<NAME>`) and may read it. */
  secrets?: readonly string[];
  /** Typical billed duration of one invocation, for `aios cost` (an assumption, documented there). */
  typicalMs: number;
  /** Typical DynamoDB requests of one invocation, for `aios cost`. */
  typicalDynamoDb: { reads: number; writes: number };
  /** Bundle size budget (minified, bytes) checked by `npm run bench -- bundles`. */
  bundleBudgetBytes: number;
  /** Ships the definition's seed knowledge folder in its bundle (the deploy-time sync). */
  bundlesSeedKnowledge?: boolean;
  /** Invoked on a schedule (an EventBridge Scheduler expression) rather than by a workflow or the API. */
  schedule?: { expression: string; description: string };
  /** Invoked by this table's DynamoDB stream (new and old images). */
  streamOf?: 'audit';
}

const KiB = 1024;

// Budgets: the size measured when set (bench/RESULTS.md) plus headroom, to catch growth: ~5 % where the size was
// cut to near its SDK floor (the agent step, gate, approval request and page, audit archive, emit-event, webhook
// ingest, and the tools in deployment-plan.ts), ~15 % elsewhere.
// Measured with the SDK's ES module builds, zod/mini, and the entries synth writes for the agent step,
// the gate, the approval functions, the console, the knowledge sync and each tool (infra/definition-entries.ts,
// infra/tool-entries.ts).

// An audit append on AWS, where another function's container moved the run's head last, is 1 query (the head with the
// newest record item, or with every record for an `appendOnce`) + 2 conditional puts (head, record): counted in the
// DynamoDB figures below.
export const SYSTEM_FUNCTION_SPECS: Readonly<Record<SystemFunctionId, FunctionSpec>> = {
  'agent-step': {
    id: 'agent-step',
    functionName: SYSTEM_FUNCTIONS.FnAgentStep,
    entry: 'functions/agent-step/index.ts',
    placeholder: 'FnAgentStep',
    memoryMb: 1024,
    // A model turn can take tens of seconds; Bedrock's own timeout is 60 s per call plus retries.
    timeoutSeconds: 180,
    // payloadsRead: a webhook delivery too big for an event reaches the agent whole (detail.aiosPayload).
    needs: ['state', 'stateDelete', 'audit', 'knowledgeRead', 'bedrock', 'payloadsRead'],
    typicalMs: 6000,
    typicalDynamoDb: { reads: 3, writes: 5 },
    // Measured 599 KiB with the S3 client that reads oversized webhook deliveries into the agent's input.
    bundleBudgetBytes: 660 * KiB,
  },
  'tool-gate': {
    id: 'tool-gate',
    functionName: SYSTEM_FUNCTIONS.FnToolGate,
    entry: 'functions/tool-gate/index.ts',
    placeholder: 'FnToolGate',
    memoryMb: 512,
    timeoutSeconds: 15,
    needs: ['state', 'audit'],
    typicalMs: 120,
    typicalDynamoDb: { reads: 2, writes: 3 },
    // Measured 398 KiB.
    bundleBudgetBytes: 430 * KiB,
  },
  'approval-request': {
    id: 'approval-request',
    functionName: SYSTEM_FUNCTIONS.FnApprovalRequest,
    entry: 'functions/approval-request/index.ts',
    placeholder: 'FnApprovalRequest',
    memoryMb: 512,
    timeoutSeconds: 30,
    // taskResponse: a request already decided (a click at the deadline during escalation) resumes the run at once.
    needs: ['state', 'stateDelete', 'approvalIndex', 'audit', 'email', 'linkKey', 'publicUrl', 'taskResponse'],
    typicalMs: 400,
    // Write request units, as priced: the index's three entries are one BatchWriteItem but three units.
    typicalDynamoDb: { reads: 1, writes: 6 },
    // Measured 494 KiB.
    bundleBudgetBytes: 515 * KiB,
  },
  'approval-http': {
    id: 'approval-http',
    functionName: 'aios-approval-http',
    entry: 'functions/approval-http/index.ts',
    placeholder: null,
    memoryMb: 512,
    // API Gateway gives up after 30 s.
    timeoutSeconds: 25,
    needs: ['state', 'stateDelete', 'audit', 'linkKey', 'taskResponse', 'publicUrl'],
    typicalMs: 200,
    typicalDynamoDb: { reads: 2, writes: 5 },
    // Measured 425 KiB.
    bundleBudgetBytes: 455 * KiB,
  },
  'approval-reconcile': {
    id: 'approval-reconcile',
    functionName: 'aios-approval-reconcile',
    entry: 'functions/approval-reconcile/index.ts',
    placeholder: null,
    memoryMb: 256,
    timeoutSeconds: 120,
    // Reads the to-do partition (a query), finishes each decision: close, audit once, SendTaskSuccess once, clear the to-do.
    needs: ['state', 'stateDelete', 'audit', 'taskResponse'],
    // Not on a run's path (a sweep every few minutes): `aios cost` counts it as fixed.
    typicalMs: 0,
    typicalDynamoDb: { reads: 0, writes: 0 },
    // Measured 408 KiB: the approval service, none of the definition.
    bundleBudgetBytes: 500 * KiB,
    schedule: { expression: 'rate(5 minutes)', description: 'finishes approval decisions a crash left half-done' },
  },
  'audit-archive': {
    id: 'audit-archive',
    functionName: 'aios-audit-archive',
    entry: 'functions/audit-archive/index.ts',
    placeholder: null,
    memoryMb: 256,
    timeoutSeconds: 60,
    needs: ['auditStream', 'auditArchive'],
    // Invoked by the audit table's stream, about once per batch of audit writes; counted in `aios cost` as fixed.
    typicalMs: 0,
    typicalDynamoDb: { reads: 0, writes: 0 },
    // Measured 448 KiB (the S3 client and the stream record's unmarshalling).
    bundleBudgetBytes: 470 * KiB,
    streamOf: 'audit',
  },
  console: {
    id: 'console',
    functionName: 'aios-console',
    entry: 'functions/console/index.ts',
    placeholder: null,
    memoryMb: 512,
    // API Gateway gives up after 30 s.
    timeoutSeconds: 25,
    // knowledgeWrite: an admin retires a wrong remembered item; auditScan: rights counts and verifying every chain.
    needs: ['state', 'stateDelete', 'stateScan', 'audit', 'auditScan', 'knowledgeWrite', 'email', 'taskResponse', 'publicUrl', 'steering'],
    typicalMs: 250,
    // session read, approvals scan page, an audit read per run page
    typicalDynamoDb: { reads: 4, writes: 1 },
    // Measured 681 KiB (696,833 B), 1.52x its 446 KiB peer: its part of the definition as data (graphs laid out at synth, each rule
    // once beside what compiling added), the knowledge curator (no write path) and no Bedrock client in a deployment without
    // embeddings. Over the 1.2x goal (548,520 B), and no split by route would meet it: the run page bundled as a function of its
    // own with only its clients is still 1.43x its own peer (bench/bundles.bench.ts).
    bundleBudgetBytes: 780 * KiB,
  },
  'emit-event': {
    id: 'emit-event',
    functionName: SYSTEM_FUNCTIONS.FnEmitEvent,
    entry: 'functions/emit-event/index.ts',
    placeholder: 'FnEmitEvent',
    memoryMb: 256,
    timeoutSeconds: 15,
    needs: ['bus', 'audit', 'state'],
    typicalMs: 80,
    // The three invocations of a typical path, averaged (reads rounded up): the run's start (its delivery claimed, two
    // audit records created without a read, the run listed in an index chain: 7 writes, and that chain's head read when
    // another container moved it), an emit step (none), the run's end (`run.ended` once: 1 read, 2 writes, and a refused
    // head move when the container remembers the run's start).
    typicalDynamoDb: { reads: 1, writes: 3 },
    // Measured 414 KiB.
    bundleBudgetBytes: 435 * KiB,
  },
  'knowledge-sync': {
    id: 'knowledge-sync',
    functionName: 'aios-knowledge-sync',
    entry: 'functions/knowledge-sync/index.ts',
    placeholder: null,
    memoryMb: 512,
    // Runs once per deploy that changes the seed; embedding every document can take a while.
    timeoutSeconds: 300,
    needs: ['knowledgeWrite'],
    // Not on a run's path: `aios cost` never counts it.
    typicalMs: 0,
    typicalDynamoDb: { reads: 0, writes: 0 },
    // Measured 376 KiB (the knowledge writer, the seed folder's path as data; the Bedrock client only with an embeddings model).
    bundleBudgetBytes: 460 * KiB,
    bundlesSeedKnowledge: true,
  },
  'webhook-ingest': {
    id: 'webhook-ingest',
    functionName: 'aios-webhook-ingest',
    entry: 'functions/webhook-ingest/index.ts',
    placeholder: null,
    memoryMb: 512,
    timeoutSeconds: 25,
    needs: ['state', 'stateDelete', 'bus', 'webhookSecrets', 'payloads'],
    typicalMs: 100,
    typicalDynamoDb: { reads: 0, writes: 1 },
    // Measured 556 KiB.
    bundleBudgetBytes: 595 * KiB,
  },
};

/** The one entry every tool function runs (selecting its tool with AIOS_TOOL_ID). */
export const TOOL_RUN_ENTRY = 'functions/tool-run/index.ts';

/** A function name with another prefix (`aios-agent-step` → `acme-agent-step`), for a second deployment in one account. */
export function prefixedFunctionName(functionName: string, prefix: string): string {
  return prefix === 'aios' ? functionName : `${prefix}${functionName.slice('aios'.length)}`;
}
