/**
 * Passes Converse through to real Amazon Bedrock, with the credentials and
 * region of the environment. The endpoint overrides that point the rest of
 * the process at the local runtime are removed, or the call would loop back.
 */
import { ConverseCommand, InvokeModelCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { createAwsClients } from '../../../shared/aws/clients';
import { AiosError } from '../../../shared/errors';
import type { ConverseResponse } from '../../../shared/agents/converse-shapes';
import { AwsServiceError } from '../../server/aws-json-service';
import type { ModelProvider } from '../model-provider';

/** The environment without AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_BEDROCK_RUNTIME. */
export function envWithoutEndpointOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.AWS_ENDPOINT_URL;
  delete copy.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  return copy;
}

export interface BedrockProviderOptions {
  env?: NodeJS.ProcessEnv;
  /** Another Bedrock-compatible endpoint (a gateway, or a second local runtime in tests); default: real Bedrock. */
  endpoint?: string;
}

/** The credential chain found nothing: every call would fail the same way. */
export class BedrockCredentialsMissingError extends AiosError {
  constructor(cause: unknown) {
    const e = cause as { name?: string; message?: string };
    super(
      'Model.NoCredentials',
      `the bedrock provider found no AWS credentials (${e.name ?? 'Error'}: ${e.message ?? String(cause)}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and AWS_REGION`,
      {},
      { cause },
    );
  }
}

export function createBedrockProvider(options: BedrockProviderOptions = {}): ModelProvider {
  const env = envWithoutEndpointOverrides(options.env ?? process.env);
  const clients = createAwsClients(options.endpoint ? { endpoint: options.endpoint } : {}, env);
  return {
    name: 'bedrock',
    async ready() {
      // The client's own credential chain, resolved as its first call would: the environment, profiles, SSO, containers.
      const { credentials } = clients.bedrockRuntime().config as { credentials?: () => Promise<unknown> };
      try {
        await credentials?.();
      } catch (error) {
        throw new BedrockCredentialsMissingError(error);
      }
    },
    async converse(request) {
      const { $metadata: _m, ...out } = await clients
        .bedrockRuntime()
        .send(new ConverseCommand(request as ConverseCommandInput))
        .catch((error: unknown) => {
          throw toServiceError(error);
        });
      return out as unknown as ConverseResponse;
    },
    async invoke(call) {
      const out = await clients
        .bedrockRuntime()
        .send(
          new InvokeModelCommand({
            modelId: call.modelId,
            body: call.body,
            contentType: call.contentType ?? 'application/json',
            accept: call.accept ?? 'application/json',
          }),
        )
        .catch((error: unknown) => {
          throw toServiceError(error);
        });
      return { body: out.body, contentType: out.contentType ?? 'application/json' };
    },
  };
}

function toServiceError(error: unknown): AwsServiceError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$metadata?.httpStatusCode) return new AwsServiceError(e.name ?? 'InternalServerException', e.message ?? 'Bedrock failed', e.$metadata.httpStatusCode);
  // No HTTP answer: missing credentials or region, or no network.
  return new AwsServiceError(
    'AccessDeniedException',
    `the bedrock provider cannot reach Amazon Bedrock (${e.name ?? 'Error'}: ${e.message ?? String(error)}); it needs AWS credentials and AWS_REGION in the environment`,
    403,
  );
}
