/**
 * The one place that builds AWS SDK clients. Handlers, stores and the CLI ask
 * this factory; nothing else calls `new XClient()`.
 *
 * Endpoint precedence: explicit option > AWS_ENDPOINT_URL_<SERVICE> >
 * AWS_ENDPOINT_URL > the SDK's default (real AWS). On one machine the local
 * runtime sets AWS_ENDPOINT_URL to itself, so the same code reaches it.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { localCredentials } from './function-identity';

export interface ClientOptions {
  /** Overrides every environment variable. */
  endpoint?: string;
  region?: string;
}

type ServiceKey = 'SFN' | 'EVENTBRIDGE' | 'DYNAMODB' | 'SESV2' | 'BEDROCK_RUNTIME' | 'SECRETS_MANAGER' | 'SCHEDULER' | 'S3' | 'CLOUDFORMATION' | 'BEDROCK';

function endpointFor(service: ServiceKey, options: ClientOptions, env: NodeJS.ProcessEnv): string | undefined {
  return options.endpoint ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL ?? undefined;
}

function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** The configuration every client gets (endpoint, region, local credentials); the per-service client modules use it too. */
export function baseConfig(service: ServiceKey, options: ClientOptions, env: NodeJS.ProcessEnv) {
  const endpoint = endpointFor(service, options, env);
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const local = isLoopback(endpoint);
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    // The local runtime accepts any credentials; without this a laptop with no
    // AWS profile would fail in the credential chain before sending anything.
    // In-process functions sign as themselves so the runtime can check their permissions.
    ...(local ? { credentials: localCredentials(env.AWS_ACCESS_KEY_ID ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' } : undefined) } : {}),
    // Local endpoints speak HTTP/1.1; the Bedrock client otherwise tries HTTP/2.
    ...(local ? { requestHandler: new NodeHttpHandler() } : {}),
    maxAttempts: local ? 1 : 3,
  };
}

export interface AwsClients {
  sfn(): SFNClient;
  eventBridge(): EventBridgeClient;
  dynamoDb(): DynamoDBClient;
  sesV2(): SESv2Client;
  bedrockRuntime(): BedrockRuntimeClient;
  secretsManager(): SecretsManagerClient;
  scheduler(): SchedulerClient;
}

/** Builds a factory with lazily created, cached clients. */
export function createAwsClients(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): AwsClients {
  const cache = new Map<ServiceKey, unknown>();
  function lazy<T>(service: ServiceKey, make: (config: ReturnType<typeof baseConfig>) => T): () => T {
    return () => {
      if (!cache.has(service)) cache.set(service, make(baseConfig(service, options, env)));
      return cache.get(service) as T;
    };
  }
  return {
    sfn: lazy('SFN', (c) => new SFNClient(c)),
    eventBridge: lazy('EVENTBRIDGE', (c) => new EventBridgeClient(c)),
    dynamoDb: lazy('DYNAMODB', (c) => new DynamoDBClient(c)),
    sesV2: lazy('SESV2', (c) => new SESv2Client(c)),
    bedrockRuntime: lazy('BEDROCK_RUNTIME', (c) => new BedrockRuntimeClient(c)),
    secretsManager: lazy('SECRETS_MANAGER', (c) => new SecretsManagerClient(c)),
    scheduler: lazy('SCHEDULER', (c) => new SchedulerClient(c)),
  };
}

let defaultClients: AwsClients | undefined;

/** The process-wide factory, reading the environment on first use. */
export function awsClients(): AwsClients {
  defaultClients ??= createAwsClients();
  return defaultClients;
}

/** For tests and the local runtime, which change the environment at start. */
export function resetAwsClients(): void {
  defaultClients = undefined;
}
