/**
 * Converse ↔ OpenAI chat completions, both ways: system blocks become a
 * system message, toolUse blocks assistant `tool_calls`, toolResult blocks
 * `tool` messages, toolSpecs `tools`; the answer's `tool_calls`, finish reason
 * and usage come back as Converse content, stop reason and usage.
 */
import type { ContentBlock, ConverseRequest, ConverseResponse, Message } from '../../../shared/agents/converse-shapes';
import { AwsServiceError } from '../../server/aws-json-service';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }[];
  tool_choice?: 'auto' | 'required' | { type: 'function'; function: { name: string } };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  stream: false;
}

export interface ChatResponse {
  choices: {
    message: {
      role?: string;
      content?: string | null;
      tool_calls?: { id?: string; function: { name: string; arguments?: string | Record<string, unknown> } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

function unsupported(block: ContentBlock): never {
  throw new AwsServiceError('ValidationException', `the openai provider supports text, toolUse and toolResult blocks, not "${Object.keys(block)[0]}"`);
}

function toolResultText(content: unknown[]): string {
  return content
    .map((c) => {
      const block = c as { text?: string; json?: unknown };
      if (typeof block.text === 'string') return block.text;
      if ('json' in block) return JSON.stringify(block.json);
      return JSON.stringify(block);
    })
    .join('\n');
}

function translateMessage(message: Message): ChatMessage[] {
  if (message.role === 'assistant') {
    const texts: string[] = [];
    const calls: NonNullable<ChatMessage['tool_calls']> = [];
    for (const block of message.content) {
      if ('text' in block && typeof block.text === 'string') texts.push(block.text);
      else if ('toolUse' in block && block.toolUse) {
        const use = block.toolUse as { toolUseId: string; name: string; input: unknown };
        calls.push({ id: use.toolUseId, type: 'function', function: { name: use.name, arguments: JSON.stringify(use.input ?? {}) } });
      } else if ('reasoningContent' in block) continue;
      else unsupported(block);
    }
    return [{ role: 'assistant', content: texts.length ? texts.join('\n') : null, ...(calls.length ? { tool_calls: calls } : {}) }];
  }
  // Tool results must follow the assistant's tool_calls directly, before any user text.
  const tools: ChatMessage[] = [];
  const texts: string[] = [];
  for (const block of message.content) {
    if ('text' in block && typeof block.text === 'string') texts.push(block.text);
    else if ('toolResult' in block && block.toolResult) {
      const result = block.toolResult as { toolUseId: string; content: unknown[]; status?: string };
      const text = toolResultText(result.content);
      tools.push({ role: 'tool', tool_call_id: result.toolUseId, content: result.status === 'error' ? `Error: ${text}` : text });
    } else unsupported(block);
  }
  return [...tools, ...(texts.length ? [{ role: 'user' as const, content: texts.join('\n') }] : [])];
}

/** The chat-completions request for a Converse request; `model` names the upstream model. */
export function toChatRequest(request: ConverseRequest, model: string): ChatRequest {
  const system = (request.system ?? [])
    .map((b) => (typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : ''))
    .filter(Boolean)
    .join('\n\n');
  const messages: ChatMessage[] = [...(system ? [{ role: 'system' as const, content: system }] : []), ...(request.messages ?? []).flatMap(translateMessage)];
  const specs = (request.toolConfig?.tools ?? []).flatMap((t) =>
    'toolSpec' in t && t.toolSpec ? [t.toolSpec as { name: string; description?: string; inputSchema: { json: Record<string, unknown> } }] : [],
  );
  const choice = request.toolConfig?.toolChoice;
  const inference = request.inferenceConfig ?? {};
  return {
    model,
    messages,
    ...(specs.length
      ? {
          tools: specs.map((s) => ({
            type: 'function' as const,
            function: { name: s.name, ...(s.description ? { description: s.description } : {}), parameters: s.inputSchema.json },
          })),
        }
      : {}),
    ...(choice
      ? {
          tool_choice:
            'tool' in choice
              ? { type: 'function' as const, function: { name: choice.tool.name } }
              : 'any' in choice
                ? ('required' as const)
                : ('auto' as const),
        }
      : {}),
    ...(inference.maxTokens !== undefined ? { max_tokens: inference.maxTokens } : {}),
    ...(inference.temperature !== undefined ? { temperature: inference.temperature } : {}),
    ...(inference.topP !== undefined ? { top_p: inference.topP } : {}),
    ...(inference.stopSequences?.length ? { stop: inference.stopSequences } : {}),
    stream: false,
  };
}

const FINISH: Record<string, string> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
  content_filter: 'content_filtered',
};

function parseArguments(args: string | Record<string, unknown> | undefined, name: string): unknown {
  if (args === undefined || args === '') return {};
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    throw new AwsServiceError('ModelErrorException', `the model called tool "${name}" with arguments that are not JSON: ${args.slice(0, 200)}`, 424);
  }
}

/** The Converse answer for a chat-completions answer. */
export function fromChatResponse(response: ChatResponse, latencyMs: number): ConverseResponse {
  const choice = response.choices?.[0];
  if (!choice) throw new AwsServiceError('ModelErrorException', 'the OpenAI-compatible server answered without choices', 424);
  const content: ContentBlock[] = [];
  if (choice.message.content) content.push({ text: choice.message.content });
  const calls = choice.message.tool_calls ?? [];
  calls.forEach((call, i) => {
    content.push({
      toolUse: { toolUseId: call.id || `call_${i}`, name: call.function.name, input: parseArguments(call.function.arguments, call.function.name) },
    });
  });
  // Some servers (Ollama) report `stop` even when they called tools.
  const stopReason = calls.length > 0 ? 'tool_use' : (FINISH[choice.finish_reason ?? 'stop'] ?? 'end_turn');
  const inputTokens = response.usage?.prompt_tokens ?? 0;
  const outputTokens = response.usage?.completion_tokens ?? 0;
  return {
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: { inputTokens, outputTokens, totalTokens: response.usage?.total_tokens ?? inputTokens + outputTokens },
    metrics: { latencyMs },
  };
}
