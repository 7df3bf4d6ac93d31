/**
 * The Step Functions part of the local runtime alone: the durable engine and
 * its API on one port, with a function registry. The crash test and the
 * Step Functions API tests run it; `local/aios-runtime.ts` composes the whole
 * AI OS (this engine plus EventBridge, DynamoDB, SES, Bedrock, webhooks and
 * approvals) for `npm start`.
 *
 * Configuration (explicit option > environment > default):
 * port `AIOS_PORT` (4566), dataDir `AIOS_DATA_DIR` (`.aios/`), extra
 * functions `AIOS_FUNCTIONS` (a module mapping names to handlers).
 */
import path from 'node:path';
import { parseEnvironment } from '../shared/composition/environment';
import { FunctionRegistry, registerFunctionModule, registerProjectFunctions } from './functions';
import { startLocalHttpServer, type RunningServer } from './server/local-http-server';
import { openStepFunctions, type LocalStepFunctions } from './stepfunctions';

export interface LocalRuntimeOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  /** Registry to use; by default a new one with the project's functions and AIOS_FUNCTIONS. */
  functions?: FunctionRegistry;
  /** Path of a module exporting handlers (defaults to AIOS_FUNCTIONS). */
  functionsModule?: string;
  /** Register functions/<name>/ as aios-<name> (default true). */
  projectFunctions?: boolean;
}

export interface LocalRuntime {
  url: string;
  port: number;
  dataDir: string;
  functions: FunctionRegistry;
  stepFunctions: LocalStepFunctions;
  server: RunningServer;
  close(): Promise<void>;
}

/** Reads AIOS_PORT (default 4566). */
export function configuredPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AIOS_PORT;
  if (raw === undefined || raw === '') return 4566;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`AIOS_PORT must be a port number, got "${raw}"`);
  return port;
}

/**
 * Starts the engine (resuming executions left RUNNING) and serves it.
 * @example const rt = await startLocalRuntime({ port: 0, dataDir: '/tmp/aios' }); // rt.url
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const dataDir = path.resolve(options.dataDir ?? process.env.AIOS_DATA_DIR ?? '.aios');
  const functions = options.functions ?? new FunctionRegistry();
  if (!options.functions && options.projectFunctions !== false) {
    registerProjectFunctions(functions, path.join(__dirname, '..', 'functions'), parseEnvironment(process.env), (name, error) => {
      process.stderr.write(`warning: function ${name} not registered: ${(error as Error).message}\n`);
    });
  }
  const moduleFile = options.functionsModule ?? process.env.AIOS_FUNCTIONS;
  if (moduleFile) await registerFunctionModule(functions, moduleFile);
  const stepFunctions = openStepFunctions({ dataDir, functions });
  let server: RunningServer;
  try {
    server = await startLocalHttpServer({ services: [stepFunctions.service], port: options.port ?? configuredPort(), host: options.host ?? '127.0.0.1' });
  } catch (error) {
    stepFunctions.close();
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    dataDir,
    functions,
    stepFunctions,
    server,
    async close() {
      await server.close();
      stepFunctions.close();
    },
  };
}
