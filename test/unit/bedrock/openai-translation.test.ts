import { fromChatResponse, toChatRequest } from '../../../local/bedrock/providers/openai-translation';
import { conversationProblem } from '../../../local/bedrock/conversation-rules';
import type { ConverseRequest, Message } from '../../../shared/agents/converse-shapes';

describe('Converse → chat completions', () => {
  it('maps tool choice, stop sequences and top-p, and puts tool results before user text', () => {
    const request: ConverseRequest = {
      modelId: 'm',
      messages: [
        { role: 'user', content: [{ text: 'go' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'a', name: 't', input: { x: 1 } } }] },
        { role: 'user', content: [{ text: 'and then?' }, { toolResult: { toolUseId: 'a', content: [{ text: 'bad' }], status: 'error' } }] },
      ],
      toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: { type: 'object' } } } }], toolChoice: { tool: { name: 't' } } },
      inferenceConfig: { topP: 0.5, stopSequences: ['END'] },
    };
    const chat = toChatRequest(request, 'llama');
    expect(chat.messages.slice(1)).toStrictEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 't', arguments: '{"x":1}' } }] },
      { role: 'tool', tool_call_id: 'a', content: 'Error: bad' },
      { role: 'user', content: 'and then?' },
    ]);
    expect(chat.tool_choice).toStrictEqual({ type: 'function', function: { name: 't' } });
    expect(chat.top_p).toBe(0.5);
    expect(chat.stop).toStrictEqual(['END']);
    expect(toChatRequest({ ...request, toolConfig: { ...request.toolConfig!, toolChoice: { any: {} } } }, 'm').tool_choice).toBe('required');
  });

  it('refuses blocks it cannot translate', () => {
    expect(() => toChatRequest({ modelId: 'm', messages: [{ role: 'user', content: [{ image: { format: 'png' } }] }] }, 'm')).toThrow(/not "image"/);
  });
});

describe('chat completions → Converse', () => {
  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'content_filtered'],
  ])('maps finish reason %s to %s', (finish, stop) => {
    expect(fromChatResponse({ choices: [{ message: { content: 'x' }, finish_reason: finish }] }, 1).stopReason).toBe(stop);
  });

  it('treats tool calls as tool_use even when the server says stop (Ollama), and accepts object arguments', () => {
    const out = fromChatResponse(
      {
        choices: [{ message: { content: '', tool_calls: [{ function: { name: 't', arguments: { a: 1 } } }] }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2 },
      },
      9,
    );
    expect(out).toStrictEqual({
      output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'call_0', name: 't', input: { a: 1 } } }] } },
      stopReason: 'tool_use',
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      metrics: { latencyMs: 9 },
    });
  });

  it('reports tool arguments that are not JSON as a model error', () => {
    expect(() => fromChatResponse({ choices: [{ message: { tool_calls: [{ function: { name: 't', arguments: '{oops' } }] } }] }, 1)).toThrow(
      expect.objectContaining({ type: 'ModelErrorException' }),
    );
  });
});

describe('conversation rules', () => {
  const user = (text: string): Message => ({ role: 'user', content: [{ text }] });
  it('accepts a well-formed tool exchange and an assistant prefill', () => {
    expect(
      conversationProblem([
        user('a'),
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'x', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ text: 'ok' }] } }] },
        { role: 'assistant', content: [{ text: 'prefill {' }] },
      ]),
    ).toBeUndefined();
  });

  it('names the first broken rule', () => {
    expect(conversationProblem([])).toMatch(/start with a user message/);
    expect(conversationProblem([user('a'), { role: 'user', content: [{ text: 'b' }] }])).toMatch(/alternate/);
    expect(
      conversationProblem([
        user('a'),
        { role: 'assistant', content: [{ text: 'b' }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'zz', content: [] } }] },
      ]),
    ).toMatch(/toolResult/);
  });
});
