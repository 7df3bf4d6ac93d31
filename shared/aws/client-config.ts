/**
 * How every AWS SDK client is configured, in one place; each service's own
 * module (sfn.ts, dynamodb.ts …) builds its client from this, so a Lambda
 * bundle carries only the SDK clients its code imports.
 *
 * Endpoint precedence: explicit option > AWS_ENDPOINT_URL_<SERVICE> >
 * AWS_ENDPOINT_URL > the SDK's default (real AWS). On one machine the local
 * runtime's endpoint is on loopback: such clients get dummy credentials (when
 * none are set), HTTP/1.1 and one retry.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { withFastConfig } from './fast-config';
import { localCredentials, type LocalCredentials } from './function-identity';
import { withSignerAndUserAgentMadeOnce } from './made-once';

export interface ClientOptions {
  /** Overrides every environment variable. */
  endpoint?: string;
  region?: string;
}

export type ServiceKey =
  'SFN' | 'EVENTBRIDGE' | 'DYNAMODB' | 'SESV2' | 'BEDROCK_RUNTIME' | 'SECRETS_MANAGER' | 'SCHEDULER' | 'S3' | 'CLOUDFORMATION' | 'BEDROCK';

function endpointFor(service: ServiceKey, options: ClientOptions, env: NodeJS.ProcessEnv): string | undefined {
  return options.endpoint ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL ?? undefined;
}

export function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: LocalCredentials;
  requestHandler?: NodeHttpHandler;
  maxAttempts: number;
  cacheMiddleware: true;
  requestChecksumCalculation?: 'WHEN_REQUIRED';
  responseChecksumValidation?: 'WHEN_REQUIRED';
}

export function clientConfig(service: ServiceKey, options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const endpoint = endpointFor(service, options, env);
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const local = isLoopback(endpoint);
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    // The local runtime accepts any credentials; without this a laptop with no
    // AWS profile would fail in the credential chain before sending anything.
    // In-process functions sign as themselves so the runtime can check their permissions (function-identity.ts).
    ...(local ? { credentials: localCredentials(env) } : {}),
    // Local endpoints speak HTTP/1.1; the Bedrock client otherwise tries HTTP/2.
    ...(local ? { requestHandler: new NodeHttpHandler() } : {}),
    // Locally one retry: clients outlive a runtime restart in one process, and the first request after it may
    // meet a kept-alive socket the old server closed ("socket hang up"); a real failure still surfaces at once.
    maxAttempts: local ? 2 : 3,
    // Locally, S3 checksums only where an operation requires one (AWS's documented setting; the default computes a CRC32
    // of every PutObject body): the local S3 stores no checksums and checks none. On AWS the default stays, since a put to
    // an Object Lock bucket (the audit archive) must carry one.
    ...(local ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    // The middleware chain is built once per command class, not on every send (no code adds middleware to a client after its first send).
    cacheMiddleware: true,
  };
}

/** An endpoint as the SDK parses a URL (its EndpointV1). */
export interface ParsedEndpoint {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
}

/**
 * The configuration with its endpoint parsed once: given a URL string, the SDK parses it again on every request (twice),
 * given the parsed form it uses it as it is. A URL with a query string stays a string (the SDK parses the query too).
 */
export function withParsedEndpoint(config: ClientConfig): Omit<ClientConfig, 'endpoint'> & { endpoint?: string | ParsedEndpoint } {
  if (!config.endpoint) return config;
  const url = new URL(config.endpoint);
  if (url.search) return config;
  return { ...config, endpoint: { protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), path: url.pathname } };
}

/**
 * A client per configuration, made on first use. Keyed by what the
 * configuration depends on (endpoint, region, local credentials), so a
 * process whose environment points somewhere else gets a new client without
 * anyone having to reset a cache, and two functions of one process, whose
 * clients sign as each of them, never share one.
 */
export function cachedClient<T extends { config: object }>(
  service: ServiceKey,
  make: (config: ReturnType<typeof withParsedEndpoint>) => T,
): (options?: ClientOptions, env?: NodeJS.ProcessEnv) => T {
  const made = new Map<string, T>();
  return (options = {}, env = process.env) => {
    const endpoint = endpointFor(service, options, env) ?? '';
    const signer = isLoopback(endpoint) ? localCredentials(env).accessKeyId : '';
    const key = [endpoint, options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '', signer].join('|');
    let client = made.get(key);
    if (client === undefined) {
      client = make(withParsedEndpoint(clientConfig(service, options, env)));
      made.set(key, withFastConfig(withSignerAndUserAgentMadeOnce(client)));
    }
    return client;
  };
}
