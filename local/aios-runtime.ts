/**
 * The whole AI OS on one machine: one process, one port on 127.0.0.1, serving
 * Step Functions, EventBridge, DynamoDB (dynalite), SES v2 and Bedrock Runtime
 * APIs, the webhook and approval pages, and a stand-in for the business's own
 * system; the project's Lambda handlers run in process with the environment
 * they get on AWS. Then the business definition is installed through those
 * APIs, as a deployment would.
 *
 * Configuration (explicit option > environment > default): `AIOS_PORT` (4566),
 * `AIOS_DATA_DIR` (`.aios/`), `AIOS_FUNCTIONS`, `AIOS_SMTP_URL`,
 * `AIOS_MODEL_PROVIDER` (replay), `AIOS_CLOCK` (a start instant for rights windows,
 * limits, approval deadlines and schedules, moving forward from there; local only).
 */
import { mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import path from 'node:path';
import { Hono } from 'hono';
import { webhookVendors } from '../events';
import { createHandler as approvalHttpHandler } from '../functions/approval-http';
import { createHandler as consoleHandler } from '../functions/console';
import { currentOs } from '../functions/current-os';
import { createHandler as webhookHandler } from '../functions/webhook-ingest';
import { AUDIT_CHAIN_KEY } from '../shared/audit/audit-key';
import { clockFromEnv } from '../shared/clock/local-clock';
import { APPROVAL_LINK_KEY, approvalDeps } from '../shared/composition/approvals';
import { parseEnvironment, type AiosEnvironment, type EnvironmentVariables } from '../shared/composition/environment';
import { functionEnvironment } from '../shared/composition/function-environment';
import { secretProvider } from '../shared/composition/secrets';
import { tableNameOf } from '../shared/composition/tables';
import type { ValidOs } from '../shared/definition/validate';
import { planDeployment, type DeploymentPlan } from '../shared/deployment/deployment-plan';
import { SYSTEM_FUNCTION_SPECS } from '../shared/deployment/function-specs';
import { startApprovalReconciler } from './approval-reconciler';
import { createBedrockApp } from './bedrock/converse-app';
import { selectModelProvider } from './bedrock/select-provider';
import { openDynamoDbListener } from './dynamodb-listener';
import { withTableStreams } from './dynamodb-stream';
import { createEventBridgeService } from './eventbridge';
import { localDeploymentOutputs } from './deployment-outputs';
import { createFakeBusinessApp } from './fake-business/fake-business-app';
import { FunctionRegistry, registerFunctionModule, registerProjectFunctions } from './functions';
import { enforcePlannedPermissions } from './iam/enforce-planned-permissions';
import { PlannedPolicy } from './iam/planned-policy';
import { ruleArn } from './iam/request-action';
import { installDefinition, localConsoleTriggers, localRules, registerToolFunctions, type InstalledDefinition } from './install-definition';
import { projectPath } from './project-paths';
import { configuredPort } from './runtime';
import { apiGatewayRoute, type HttpApiHandler } from './server/api-gateway-adapter';
import { freePort } from './server/free-port';
import { startLocalHttpServer, type RunningServer } from './server/local-http-server';
import { LocalObjectStore } from './s3/object-store';
import { s3Listener } from './s3/s3-listener';
import { createSesApp } from './ses';
import { openStepFunctions, stateMachineArn, type LocalStepFunctions } from './stepfunctions';
import { parseExecutionArn } from './stepfunctions/arns';
import { executionStatusChange } from './stepfunctions/status-change-event';

export interface AiosRuntimeOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  /** The business definition; default `currentOs()` (os/ or AIOS_OS_MODULE). */
  os?: ValidOs;
  functionsModule?: string;
  /** Start schedules (default true). */
  schedules?: boolean;
  /** The scheduler's clock; default the real one. */
  schedulerClock?: () => Date;
  /**
   * Hold requests signed as a planned function to the plan's statements for it
   * (default true; `AIOS_ENFORCE_PERMISSIONS=false` turns it off).
   */
  enforcePermissions?: boolean;
  /** The variables the runtime starts from (default `process.env`, read and never written). */
  env?: EnvironmentVariables;
}

export interface AiosRuntime {
  url: string;
  port: number;
  dataDir: string;
  os: ValidOs;
  functions: FunctionRegistry;
  stepFunctions: LocalStepFunctions;
  installed: InstalledDefinition;
  /** The deployment plan installed, and the permissions enforced. */
  plan: DeploymentPlan;
  modelProvider: string;
  /** The environment the in-process functions are composed from (shared/composition): clients and tables of this runtime. */
  environment: AiosEnvironment;
  server: RunningServer;
  /**
   * Resolves once the bus has finished every delivery it has started. Events are routed when accepted, so after a
   * PutEvents this says the runs it starts have started (tests wait on it, not on a timer, to see that none did).
   */
  whenEventsDelivered(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The variables the in-process handlers get: what CDK sets on AWS, pointing
 * at this process, over the ones the runtime was started with.
 */
function localVariables(base: EnvironmentVariables, url: string, port: number, dataDir: string): Record<string, string | undefined> {
  return {
    ...base,
    AWS_ENDPOINT_URL: url,
    AWS_REGION: base.AWS_REGION ?? 'us-east-1',
    AIOS_PORT: String(port),
    AIOS_DATA_DIR: dataDir,
    AIOS_PUBLIC_URL: base.AIOS_PUBLIC_URL ?? url,
    AIOS_WEBHOOK_BASE_URL: base.AIOS_WEBHOOK_BASE_URL ?? url,
    AIOS_BUSINESS_API_URL: base.AIOS_BUSINESS_API_URL ?? `${url}/business/`,
    AIOS_EMAIL_FROM: base.AIOS_EMAIL_FROM ?? 'AIOS <aios@localhost>',
    AIOS_PAYLOAD_BUCKET: base.AIOS_PAYLOAD_BUCKET ?? LOCAL_PAYLOAD_BUCKET,
    AIOS_AUDIT_ARCHIVE_BUCKET: base.AIOS_AUDIT_ARCHIVE_BUCKET ?? LOCAL_AUDIT_ARCHIVE_BUCKET,
  };
}

/** The audit archive on one machine: the local S3 API with the bucket's Object Lock default, as the stack sets it. */
const LOCAL_AUDIT_ARCHIVE_BUCKET = 'aios-audit-archive';

/** Days archived audit records stay locked locally (`AIOS_AUDIT_RETENTION_DAYS`; the stack's `auditRetentionDays` on AWS). */
function auditRetentionDays(env: EnvironmentVariables): number {
  const days = Number(env.AIOS_AUDIT_RETENTION_DAYS ?? 365);
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`AIOS_AUDIT_RETENTION_DAYS must be a whole number of days, got "${env.AIOS_AUDIT_RETENTION_DAYS}"`);
  return days;
}

/** The bucket of large webhook deliveries on one machine (the local S3 API, objects in the data folder). */
const LOCAL_PAYLOAD_BUCKET = 'aios-payloads';

/** The check of local/iam, with the plan's resources named as this runtime names them. */
function permissionCheck(
  env: AiosEnvironment,
  plan: DeploymentPlan,
  functions: FunctionRegistry,
  stepFunctions: LocalStepFunctions,
): (listener: RequestListener) => RequestListener {
  const { region, accountId } = functions;
  const ownBus = env.busName;
  const policy = new PlannedPolicy(plan, {
    region,
    accountId,
    tableName: (id) => tableNameOf(env, id),
    busName: ownBus,
    sender: env.emailFrom,
    // install-definition names each machine after its workflow
    stateMachineArn: (workflowId) => stateMachineArn({ region, accountId }, workflowId),
    ruleArns: (workflowId) => localRules(plan, ownBus).flatMap((r) => (r.workflowId === workflowId ? [ruleArn({ region, accountId }, r.bus, r.name)] : [])),
    payloadBucket: env.payloadBucket ?? LOCAL_PAYLOAD_BUCKET,
    auditArchiveBucket: env.auditArchiveBucket ?? LOCAL_AUDIT_ARCHIVE_BUCKET,
  });
  const scope = {
    region,
    accountId,
    stateMachineOfToken: (token: string) => {
      const execution = stepFunctions.engine.executionOfToken(token);
      const parsed = execution ? parseExecutionArn(execution) : null;
      return parsed ? stateMachineArn({ region, accountId }, parsed.machineName) : undefined;
    },
  };
  const onDenied = (fn: string, message: string) => process.stderr.write(`permission denied to ${fn}: ${message}\n`);
  return (listener) => enforcePlannedPermissions(listener, { policy, scope, onDenied });
}

export async function startAiosRuntime(options: AiosRuntimeOptions = {}): Promise<AiosRuntime> {
  const host = options.host ?? '127.0.0.1';
  const base = options.env ?? process.env;
  // A bad AIOS_CLOCK stops the start here, before anything listens.
  const localClock = base.AIOS_CLOCK ? clockFromEnv(base) : undefined;
  const dataDir = path.resolve(options.dataDir ?? base.AIOS_DATA_DIR ?? '.aios');
  mkdirSync(dataDir, { recursive: true });
  let port = options.port ?? configuredPort(base);
  // The handlers need the URL before executions resume, so a free port is chosen up front.
  if (port === 0) port = await freePort(host);
  const url = `http://${host}:${port}`;
  const vars = localVariables(base, url, port, dataDir);
  const os = options.os ?? currentOs(vars);
  const plan = planDeployment(os);
  const functions = new FunctionRegistry(vars.AWS_REGION);
  // As on AWS, the console is told each workflow's machine and rules rather than listing them (which its role may not).
  const ownBus = parseEnvironment(vars).busName;
  const environment = parseEnvironment({ ...vars, AIOS_CONSOLE_TRIGGERS: JSON.stringify(localConsoleTriggers(plan, functions, ownBus)) });

  // Secrets a deployment keeps in Secrets Manager are generated once into the data folder, so
  // that webhooks are verified from the first delivery and links are signed with a stable key.
  const secrets = secretProvider(environment);
  for (const vendor of webhookVendors().values()) await secrets.getSecret(vendor.source.secretName, { generateIfMissing: true });
  await secrets.getSecret(APPROVAL_LINK_KEY, { generateIfMissing: true });
  await secrets.getSecret(AUDIT_CHAIN_KEY, { generateIfMissing: true });

  const model = selectModelProvider(environment.vars, { definitionRecordingsDir: projectPath(os.recordingsDir) });
  registerProjectFunctions(functions, path.join(__dirname, '..', 'functions'), environment, (name, error) => {
    process.stderr.write(`warning: function ${name} not registered: ${(error as Error).message}\n`);
  });
  const moduleFile = options.functionsModule ?? base.AIOS_FUNCTIONS;
  if (moduleFile) await registerFunctionModule(functions, moduleFile);
  // Every function exists before anything resumes: a resumed tool call must find its tool
  // (the install below registers the same ones again).
  registerToolFunctions(functions, os, environment);

  const dynamo = await openDynamoDbListener(dataDir);
  // The audit table's stream, as on AWS: each write handed to the archiver function (local S3, Object Lock).
  const auditStream = withTableStreams(dynamo, {
    tables: new Set([tableNameOf(environment, 'audit')]),
    deliver: async (records) => {
      const result = await functions.invoke('aios-audit-archive', { Records: records }, { requestId: `stream-${records[0].eventID}` });
      if (!result.ok) throw new Error(`${result.failure.error}: ${result.failure.cause}`);
      return ((result.payload as { batchItemFailures?: { itemIdentifier: string }[] } | undefined)?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    },
  });
  const retentionDays = auditRetentionDays(base);
  // Resumed only once the port is served: a resumed tool call reaches DynamoDB and the business API through it.
  const stepFunctions = openStepFunctions({ dataDir, functions, resume: false });
  let requests = 0;
  const eventBridge = createEventBridgeService({
    dataDir,
    targets: {
      // As an EventBridge target on AWS: an unnamed execution. A webhook delivery published twice starts
      // two, and the second ends at once as a duplicate (the compiled workflow claims its delivery).
      startExecution: ({ stateMachineArn, input }) => stepFunctions.engine.startExecution({ stateMachineArn, input }),
      invokeFunction: async (name, payload) => {
        const result = await functions.invoke(name, payload, { requestId: `eb-${Date.now()}-${++requests}` });
        if (!result.ok) throw new Error(`${result.failure.error}: ${result.failure.cause}`);
        return result.payload;
      },
    },
  });
  // As Step Functions does, every execution's end goes to the default bus as a status change event; one that no rule
  // there matches (most: the stack's rule wants only the ends a workflow cannot record) is dropped after the match.
  stepFunctions.engine.onExecutionClosed((row, redriveCount) => {
    const redrivenAt = redriveCount > 0 ? (stepFunctions.store.getRedrive(row.id)?.redriven_at ?? null) : null;
    eventBridge.publishServiceEvent(executionStatusChange(row, redriveCount, redrivenAt));
  });

  const rest = new Hono();
  // The data dir is said so that the CLI can tell when it signs with another folder's secrets.
  rest.get('/health', (c) => c.json({ status: 'ok', name: os.name, workflows: os.workflows.map((w) => w.id), dataDir }));
  let installedMachines: Record<string, string> = {};
  const secretNames = [
    ...new Set([
      APPROVAL_LINK_KEY,
      ...[...webhookVendors().values()].map((v) => v.source.secretName),
      ...os.tools.flatMap((t) => t.secrets.map((s) => s.name)),
    ]),
  ].sort();
  rest.get('/outputs', (c) =>
    c.json(localDeploymentOutputs({ url, region: functions.region, stateMachines: installedMachines, secretNames, env: environment.vars })),
  );
  rest.route('/', createBedrockApp({ provider: model.provider }));
  rest.route('/', createSesApp({ dataDir, env: environment.vars }));
  rest.route('/', createFakeBusinessApp(dataDir));
  const route = { region: environment.region };
  rest.post(
    '/webhooks/:source',
    apiGatewayRoute(webhookHandler(functionEnvironment(environment, 'aios-webhook-ingest')) as unknown as HttpApiHandler, {
      ...route,
      routeKey: 'POST /webhooks/{source}',
      functionName: 'aios-webhook-ingest',
    }),
  );
  const approvals = apiGatewayRoute(approvalHttpHandler(functionEnvironment(environment, 'aios-approval-http')) as unknown as HttpApiHandler, {
    ...route,
    routeKey: 'ANY /approvals/{id}',
    functionName: 'aios-approval-http',
    // The function's own timeout, as on AWS: the page answers "not confirmed yet" before it.
    timeoutMs: SYSTEM_FUNCTION_SPECS['approval-http'].timeoutSeconds * 1000,
  });
  rest.on(['GET', 'HEAD', 'POST'], '/approvals/:id', approvals);
  // The console: the same Lambda handler API Gateway invokes on AWS (`ANY /console/{proxy+}`), over the
  // console's part of this runtime's definition, made by the same function synth uses (shared/console/console-slice.ts).
  const consoleRoute = apiGatewayRoute(consoleHandler(functionEnvironment(environment, 'aios-console'), os) as unknown as HttpApiHandler, {
    ...route,
    routeKey: 'ANY /console/{proxy+}',
    functionName: 'aios-console',
  });
  rest.all('/console', consoleRoute);
  rest.all('/console/*', consoleRoute);

  let server: RunningServer;
  try {
    const publicUrls = [environment.publicUrl, environment.webhookBaseUrl];
    const enforce = options.enforcePermissions ?? base.AIOS_ENFORCE_PERMISSIONS !== 'false';
    const wrap = enforce ? permissionCheck(environment, plan, functions, stepFunctions) : undefined;
    server = await startLocalHttpServer({
      services: [stepFunctions.service, eventBridge],
      raw: [
        auditStream,
        s3Listener(
          new LocalObjectStore(path.join(dataDir, 's3'), undefined, { [environment.auditArchiveBucket!]: { mode: 'COMPLIANCE', days: retentionDays } }),
        ),
      ],
      rest,
      port,
      host,
      publicUrls,
      ...(wrap ? { wrap } : {}),
    });
  } catch (error) {
    stepFunctions.close();
    await eventBridge.close();
    await dynamo.close();
    throw error;
  }
  stepFunctions.engine.resume();

  const schedulerClock = options.schedulerClock ?? localClock;
  const installed = await installDefinition({ os, plan, env: environment, registry: functions, dataDir, ...(schedulerClock ? { now: schedulerClock } : {}) });
  installedMachines = installed.stateMachines;
  if (options.schedules !== false) installed.scheduler.start();
  // Events the bus accepted before a crash or stop and had not yet delivered: their state machines exist now.
  eventBridge.resumeDeliveries();
  const reconciler = startApprovalReconciler(() => approvalDeps(environment, os));

  return {
    url,
    port,
    dataDir,
    os,
    functions,
    stepFunctions,
    installed,
    plan,
    modelProvider: model.description,
    environment,
    server,
    whenEventsDelivered: () => eventBridge.whenIdle(),
    async close() {
      // Producers first (schedules, executions, deliveries), then the port, then the data:
      // nothing may reach dynalite after its database is closed.
      await installed.scheduler.stop();
      await reconciler.stop();
      // Closed first, so a delivery the closing engine refuses stays owed for the next start.
      const eventBridgeClosed = eventBridge.close();
      stepFunctions.close();
      await eventBridgeClosed;
      await auditStream.whenDelivered();
      // dynalite before the port: it finishes what it has in hand, then refuses the rest cleanly.
      await dynamo.close();
      await server.close();
    },
  };
}
