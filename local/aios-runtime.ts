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
 * `AIOS_MODEL_PROVIDER` (replay).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { webhookVendors } from '../events';
import { handler as approvalHttpHandler } from '../functions/approval-http';
import { APPROVAL_LINK_KEY } from '../shared/approvals/runtime-deps';
import { currentOs } from '../functions/current-os';
import { handler as webhookHandler } from '../functions/webhook-ingest';
import type { ValidOs } from '../shared/definition/validate';
import { getSecret } from '../shared/secrets';
import { createBedrockApp } from './bedrock/converse-app';
import { selectModelProvider } from './bedrock/select-provider';
import { openDynamoDbListener } from './dynamodb-listener';
import { createEventBridgeService } from './eventbridge';
import { createFakeBusinessApp } from './fake-business/fake-business-app';
import { FunctionRegistry, registerFunctionModule, registerProjectFunctions } from './functions';
import { installDefinition, registerToolFunctions, type InstalledDefinition } from './install-definition';
import { configuredPort } from './runtime';
import { apiGatewayRoute, type HttpApiHandler } from './server/api-gateway-adapter';
import { freePort } from './server/free-port';
import { startLocalHttpServer, type RunningServer } from './server/local-http-server';
import { createSesApp } from './ses';
import { openStepFunctions, type LocalStepFunctions } from './stepfunctions';

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
}

export interface AiosRuntime {
  url: string;
  port: number;
  dataDir: string;
  os: ValidOs;
  functions: FunctionRegistry;
  stepFunctions: LocalStepFunctions;
  installed: InstalledDefinition;
  modelProvider: string;
  server: RunningServer;
  close(): Promise<void>;
}

/**
 * The environment the in-process handlers get: what CDK sets on AWS, pointing
 * at this process. Set before anything opens a client.
 */
function localEnvironment(url: string, port: number, dataDir: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AIOS_PORT: String(port),
    AIOS_DATA_DIR: dataDir,
    AIOS_PUBLIC_URL: process.env.AIOS_PUBLIC_URL ?? url,
    AIOS_WEBHOOK_BASE_URL: process.env.AIOS_WEBHOOK_BASE_URL ?? url,
    AIOS_BUSINESS_API_URL: process.env.AIOS_BUSINESS_API_URL ?? `${url}/business/`,
    AIOS_EMAIL_FROM: process.env.AIOS_EMAIL_FROM ?? 'AIOS <aios@localhost>',
  };
}

export async function startAiosRuntime(options: AiosRuntimeOptions = {}): Promise<AiosRuntime> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = path.resolve(options.dataDir ?? process.env.AIOS_DATA_DIR ?? '.aios');
  mkdirSync(dataDir, { recursive: true });
  let port = options.port ?? configuredPort();
  // The handlers need the URL before executions resume, so a free port is chosen up front.
  if (port === 0) port = await freePort(host);
  const url = `http://${host}:${port}`;
  Object.assign(process.env, localEnvironment(url, port, dataDir));

  // Secrets a deployment keeps in Secrets Manager are generated once into the data folder, so
  // that webhooks are verified from the first delivery and links are signed with a stable key.
  for (const vendor of webhookVendors().values()) await getSecret(vendor.source.secretName, { generateIfMissing: true });
  await getSecret(APPROVAL_LINK_KEY, { generateIfMissing: true });

  const os = options.os ?? currentOs();
  const model = selectModelProvider(process.env);
  const functions = new FunctionRegistry();
  registerProjectFunctions(functions, path.join(__dirname, '..', 'functions'), (name, error) => {
    process.stderr.write(`warning: function ${name} not registered: ${(error as Error).message}\n`);
  });
  const moduleFile = options.functionsModule ?? process.env.AIOS_FUNCTIONS;
  if (moduleFile) await registerFunctionModule(functions, moduleFile);
  // Every function exists before anything resumes: a resumed tool call must find its tool
  // (the install below registers the same ones again).
  registerToolFunctions(functions, os);

  const dynamo = await openDynamoDbListener(dataDir);
  // Resumed only once the port is served: a resumed tool call reaches DynamoDB and the business API through it.
  const stepFunctions = openStepFunctions({ dataDir, functions, resume: false });
  let requests = 0;
  const eventBridge = createEventBridgeService({
    dataDir,
    targets: {
      startExecution: async ({ stateMachineArn, input }) => stepFunctions.engine.startExecution({ stateMachineArn, input }),
      invokeFunction: async (name, payload) => {
        const result = await functions.invoke(name, payload, { requestId: `eb-${Date.now()}-${++requests}` });
        if (!result.ok) throw new Error(`${result.failure.error}: ${result.failure.cause}`);
        return result.payload;
      },
    },
  });

  const rest = new Hono();
  rest.get('/health', (c) => c.json({ status: 'ok', name: os.name, workflows: os.workflows.map((w) => w.id) }));
  rest.route('/', createBedrockApp({ provider: model.provider }));
  rest.route('/', createSesApp({ dataDir, ...(process.env.AIOS_SMTP_URL ? { smtpUrl: process.env.AIOS_SMTP_URL } : {}) }));
  rest.route('/', createFakeBusinessApp(dataDir));
  rest.post('/webhooks/:source', apiGatewayRoute(webhookHandler as unknown as HttpApiHandler, { routeKey: 'POST /webhooks/{source}', functionName: 'aios-webhook-ingest' }));
  const approvals = apiGatewayRoute(approvalHttpHandler as unknown as HttpApiHandler, { routeKey: 'ANY /approvals/{id}', functionName: 'aios-approval-http' });
  rest.on(['GET', 'HEAD', 'POST'], '/approvals/:id', approvals);

  let server: RunningServer;
  try {
    const publicUrls = [process.env.AIOS_PUBLIC_URL, process.env.AIOS_WEBHOOK_BASE_URL];
    server = await startLocalHttpServer({ services: [stepFunctions.service, eventBridge], raw: [dynamo], rest, port, host, publicUrls });
  } catch (error) {
    stepFunctions.close();
    await eventBridge.close();
    await dynamo.close();
    throw error;
  }
  stepFunctions.engine.resume();

  const installed = await installDefinition({ os, endpoint: url, registry: functions, dataDir, ...(options.schedulerClock ? { now: options.schedulerClock } : {}) });
  if (options.schedules !== false) installed.scheduler.start();

  return {
    url,
    port,
    dataDir,
    os,
    functions,
    stepFunctions,
    installed,
    modelProvider: model.description,
    server,
    async close() {
      // Producers first (schedules, executions, deliveries), then the port, then the data:
      // nothing may reach dynalite after its database is closed.
      await installed.scheduler.stop();
      stepFunctions.close();
      await eventBridge.whenIdle();
      await eventBridge.close();
      // dynalite before the port: it finishes what it has in hand, then refuses the rest cleanly.
      await dynamo.close();
      await server.close();
    },
  };
}
