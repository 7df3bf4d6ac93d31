/**
 * Answers from any OpenAI-compatible chat-completions server (Ollama, LM
 * Studio, vLLM …) at `baseUrl` (e.g. `http://127.0.0.1:11434/v1`). The
 * Bedrock model id is sent as the model unless `model` names the upstream one.
 */
import type { ConverseRequest } from '../../../shared/agents/converse-shapes';
import { AwsServiceError } from '../../server/aws-json-service';
import type { ModelProvider } from '../model-provider';
import { fromChatResponse, toChatRequest, type ChatResponse } from './openai-translation';

export interface OpenAiProviderOptions {
  baseUrl: string;
  apiKey?: string;
  /** The upstream model for every request (default: the request's model id). */
  model?: string;
  timeoutMs?: number;
}

const ERROR_BY_STATUS: Record<number, [string, number]> = {
  400: ['ValidationException', 400],
  401: ['AccessDeniedException', 403],
  403: ['AccessDeniedException', 403],
  404: ['ResourceNotFoundException', 404],
  408: ['ModelTimeoutException', 408],
  429: ['ThrottlingException', 429],
};

export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: 'openai',
    async converse(request: ConverseRequest) {
      const body = toChatRequest(request, options.model ?? request.modelId);
      const started = Date.now();
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
        });
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        throw new AwsServiceError(
          timedOut ? 'ModelTimeoutException' : 'ServiceUnavailableException',
          `the OpenAI-compatible server at ${options.baseUrl} ${timedOut ? 'did not answer in time' : `cannot be reached (${(error as Error).message}); is it running? (AIOS_OPENAI_BASE_URL)`}`,
          timedOut ? 408 : 503,
        );
      }
      const text = await res.text();
      if (!res.ok) {
        const [type, status] = ERROR_BY_STATUS[res.status] ?? ['ModelErrorException', 424];
        throw new AwsServiceError(type, `the OpenAI-compatible server answered ${res.status} for model "${body.model}": ${text.slice(0, 500)}`, status);
      }
      let json: ChatResponse;
      try {
        json = JSON.parse(text) as ChatResponse;
      } catch {
        throw new AwsServiceError('ModelErrorException', `the OpenAI-compatible server answered something that is not JSON: ${text.slice(0, 200)}`, 424);
      }
      return fromChatResponse(json, Date.now() - started);
    },
  };
}
