/**
 * The local Bedrock Runtime endpoint: a Hono app serving
 * `POST /model/{modelId}/converse` (and `/invoke`, passed through by the
 * `bedrock` provider, for embeddings) in Bedrock's REST JSON, as
 * @aws-sdk/client-bedrock-runtime sends and reads it, errors included
 * (`x-amzn-errortype` + `{ message }`, mapped by the SDK to ValidationException,
 * ResourceNotFoundException …). Answers come from a `ModelProvider`.
 *
 * @example
 * const app = new Hono();
 * app.route('/', createBedrockApp());                 // provider from AIOS_MODEL_PROVIDER
 * // then: createAwsClients({ endpoint }).bedrockRuntime().send(new ConverseCommand({...}))
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { converseRequestSchema, converseResponseSchema, type ConverseRequest, type Message } from '../../shared/agents/converse-shapes';
import { AwsServiceError } from '../server/aws-json-service';
import { jsonOfRequest } from '../server/replayed-request';
import { conversationProblem } from './conversation-rules';
import type { ModelProvider } from './model-provider';
import { selectModelProvider } from './select-provider';

export interface BedrockAppOptions {
  /** Default: chosen from the environment on the first request. */
  provider?: ModelProvider;
  env?: NodeJS.ProcessEnv;
}

function errorResponse(c: Context, type: string, message: string, status: number): Response {
  return c.json({ message }, status as 400, { 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() });
}

/** Any failure as the Bedrock error the SDK expects. */
function failure(c: Context, error: unknown): Response {
  if (error instanceof AwsServiceError) return errorResponse(c, error.type, error.message, error.status);
  const e = error as { code?: string; message?: string };
  if (e.code === 'Model.ProviderConfig') return errorResponse(c, 'ValidationException', e.message ?? 'bad provider configuration', 400);
  return errorResponse(c, 'InternalServerException', e.message ?? String(error), 500);
}

export function createBedrockApp(options: BedrockAppOptions = {}): Hono {
  const app = new Hono();
  let provider = options.provider;

  app.post('/model/:modelId/converse', async (c) => {
    try {
      provider ??= selectModelProvider(options.env ?? process.env).provider;
      const request = await readRequest(c);
      const response = await provider.converse(request);
      const checked = converseResponseSchema.safeParse(response);
      if (!checked.success)
        throw new AwsServiceError(
          'ModelErrorException',
          `the ${provider.name} provider gave an answer that is not a Converse response: ${checked.error.issues[0]?.message}`,
          424,
        );
      return c.json(checked.data, 200, { 'x-amzn-requestid': randomUUID() });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post('/model/:modelId/invoke', async (c) => {
    try {
      provider ??= selectModelProvider(options.env ?? process.env).provider;
      if (!provider.invoke) {
        throw new AwsServiceError(
          'ValidationException',
          `the ${provider.name} model provider serves Converse only; InvokeModel passes through with AIOS_MODEL_PROVIDER=bedrock (for embeddings on one machine, use AIOS_EMBEDDINGS=openai or off)`,
        );
      }
      const out = await provider.invoke({
        modelId: c.req.param('modelId') ?? '',
        body: new Uint8Array(await c.req.arrayBuffer()),
        contentType: c.req.header('content-type'),
        accept: c.req.header('accept'),
      });
      return c.body(out.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': out.contentType, 'x-amzn-requestid': randomUUID() });
    } catch (error) {
      return failure(c, error);
    }
  });

  for (const op of ['converse-stream', 'invoke-with-response-stream']) {
    app.post(`/model/:modelId/${op}`, (c) => errorResponse(c, 'ValidationException', `the local Bedrock endpoint serves Converse only, not ${op}`, 400));
  }
  return app;
}

async function readRequest(c: Context): Promise<ConverseRequest> {
  let body: unknown;
  try {
    body = await jsonOfRequest(c.env, c.req);
  } catch (error) {
    throw new AwsServiceError('SerializationException', `request body is not JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AwsServiceError('SerializationException', 'request body is not a JSON object');
  const modelId = c.req.param('modelId') ?? '';
  const parsed = converseRequestSchema.safeParse({ ...(body as object), modelId });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AwsServiceError(
      'ValidationException',
      `${parsed.error.issues.length} validation error(s) detected: value at '${issue.path.join('.')}' failed: ${issue.message}`,
    );
  }
  const problem = conversationProblem((parsed.data.messages ?? []) as Message[]);
  if (problem) throw new AwsServiceError('ValidationException', problem);
  return parsed.data;
}
