/**
 * The local Bedrock Runtime endpoint driven by the real BedrockRuntimeClient
 * from the client factory: replay (with edited and missing recordings), the
 * OpenAI-compatible provider against a fake server, the recorder, and the
 * error shapes the SDK maps to its exception classes.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConverseCommand,
  InvokeModelCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ValidationException,
  type BedrockRuntimeClient,
  type ConverseCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { Hono } from 'hono';
import { createAwsClients } from '../../shared/aws/clients';
import type { ModelProvider } from '../../local/bedrock/model-provider';
import { createBedrockApp } from '../../local/bedrock/converse-app';
import { conversationKey, requestHash } from '../../local/bedrock/recordings';
import { selectModelProvider } from '../../local/bedrock/select-provider';
import { createBedrockProvider, envWithoutEndpointOverrides } from '../../local/bedrock/providers/bedrock-provider';
import { createReplayProvider } from '../../local/bedrock/providers/replay-provider';
import { startLocalHttpServer, type RunningServer } from '../../local/server/local-http-server';
import type { ConverseRequest } from '../../shared/agents/converse-shapes';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

let dir: string;
let current: ModelProvider;
let server: RunningServer;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  const app = new Hono();
  // The provider is swapped per test; the endpoint stays the same.
  const switching: ModelProvider = {
    get name() {
      return current.name;
    },
    converse: (r) => current.converse(r),
    get invoke() {
      return current.invoke?.bind(current);
    },
  };
  app.route('/', createBedrockApp({ provider: switching }));
  server = await startLocalHttpServer({ services: [], rest: app });
  client = createAwsClients({ endpoint: server.url, region: 'us-east-1' }, {}).bedrockRuntime();
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'aios-recordings-'));
  current = selectModelProvider({}, { recordingsDir: dir }).provider;
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ask: ConverseCommandInput = {
  modelId: MODEL,
  system: [{ text: 'You triage support tickets.' }],
  messages: [{ role: 'user', content: [{ text: 'Ticket T-1042: my bag arrived torn.' }] }],
  toolConfig: {
    tools: [
      {
        toolSpec: {
          name: 'refunds_issue',
          description: 'Issue a refund',
          inputSchema: { json: { type: 'object', properties: { amount: { type: 'number' } } } },
        },
      },
    ],
  },
  requestMetadata: { aiosAgent: 'triage', aiosRun: 'run-1' },
};

function recording(conversation: string, replies: string[]) {
  return {
    conversation,
    description: 'hand-written',
    turns: replies.map((text) => ({ response: { stopReason: 'end_turn', output: { message: { role: 'assistant', content: [{ text }] } } } })),
  };
}

describe('local Bedrock endpoint: replay', () => {
  it('answers a missing recording with ResourceNotFoundException naming the conversation, the request hash and how to record', async () => {
    const key = conversationKey(ask as ConverseRequest);
    expect(key).toMatch(/^triage#[0-9a-f]{12}$/);
    const error = await client.send(new ConverseCommand(ask)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const message = (error as Error).message;
    expect(message).toContain(`"${key}"`);
    expect(message).toContain(requestHash({ ...(ask as ConverseRequest) }));
    expect(message).toContain('AIOS_MODEL_RECORD=1');
    expect(message).toContain(path.join(dir, 'triage-'));
  });

  it('replays a hand-written recording, and an edited recording changes the answer', async () => {
    const key = conversationKey(ask as ConverseRequest);
    const file = path.join(dir, 'triage-torn-bag.json');
    writeFileSync(file, JSON.stringify(recording(key, ['Sorry about the bag!'])));
    const first = await client.send(new ConverseCommand(ask));
    expect(first.output?.message?.content).toStrictEqual([{ text: 'Sorry about the bag!' }]);
    expect(first.stopReason).toBe('end_turn');
    expect(first.usage?.inputTokens).toBeGreaterThan(0);
    expect(first.usage?.totalTokens).toBe((first.usage?.inputTokens ?? 0) + (first.usage?.outputTokens ?? 0));

    writeFileSync(file, JSON.stringify(recording(key, ['A new bag is on its way.'])));
    const second = await client.send(new ConverseCommand(ask));
    expect(second.output?.message?.content).toStrictEqual([{ text: 'A new bag is on its way.' }]);
    // Deterministic: the same request gives the same answer and usage.
    const third = await client.send(new ConverseCommand(ask));
    expect(third.usage).toStrictEqual(second.usage);
  });

  it('replays tool use turn by turn, filling tool-use ids and Bedrock tool names, and reports a missing turn', async () => {
    writeFileSync(
      path.join(dir, 'match.json'),
      JSON.stringify({
        match: { agent: 'triage', firstMessageContains: ['T-1042', 'torn'] },
        turns: [
          {
            response: {
              stopReason: 'tool_use',
              usage: { inputTokens: 120, outputTokens: 30 },
              output: { message: { role: 'assistant', content: [{ text: 'Refunding.' }, { toolUse: { name: 'refunds.issue', input: { amount: 18 } } }] } },
            },
          },
          { response: { output: { message: { role: 'assistant', content: [{ text: 'Done: refunded $18.' }] } } } },
        ],
      }),
    );
    const first = await client.send(new ConverseCommand(ask));
    expect(first.stopReason).toBe('tool_use');
    expect(first.usage).toStrictEqual({ inputTokens: 120, outputTokens: 30, totalTokens: 150 });
    const use = first.output?.message?.content?.[1]?.toolUse;
    expect(use?.name).toBe('refunds_issue');
    expect(use?.input).toStrictEqual({ amount: 18 });
    expect(use?.toolUseId).toMatch(/^tooluse_[0-9a-f]{22}$/);

    const followUp: ConverseCommandInput = {
      ...ask,
      messages: [
        ...ask.messages!,
        first.output!.message!,
        { role: 'user', content: [{ toolResult: { toolUseId: use!.toolUseId!, content: [{ text: 'refund r-1 issued' }], status: 'success' } }] },
      ],
    };
    const second = await client.send(new ConverseCommand(followUp));
    expect(second.output?.message?.content).toStrictEqual([{ text: 'Done: refunded $18.' }]);
    expect(second.stopReason).toBe('end_turn');

    const third = await client
      .send(new ConverseCommand({ ...followUp, messages: [...followUp.messages!, second.output!.message!, { role: 'user', content: [{ text: 'And?' }] }] }))
      .catch((e: unknown) => e);
    expect(third).toBeInstanceOf(ResourceNotFoundException);
    expect((third as Error).message).toContain('has 2 turn(s)');
    expect((third as Error).message).toContain('needs turn 2');
  });

  it('picks a turn alternative by what the conversation contains', async () => {
    writeFileSync(
      path.join(dir, 'alternatives.json'),
      JSON.stringify({
        match: { firstMessageContains: ['T-1042'] },
        turns: [
          {
            response: {
              stopReason: 'tool_use',
              output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'refunds_issue', input: { amount: 64 } } }] } },
            },
          },
          {
            alternatives: [
              {
                whenConversationContains: ['Not run'],
                response: { output: { message: { role: 'assistant', content: [{ text: 'Your refund is being reviewed.' }] } } },
              },
            ],
            response: { output: { message: { role: 'assistant', content: [{ text: 'Refunded.' }] } } },
          },
        ],
      }),
    );
    const first = await client.send(new ConverseCommand(ask));
    const after = (result: string) =>
      client.send(
        new ConverseCommand({
          ...ask,
          messages: [...ask.messages!, first.output!.message!, { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: result }] } }] }],
        }),
      );
    expect((await after('refund r-1 issued')).output?.message?.content).toStrictEqual([{ text: 'Refunded.' }]);
    expect((await after('Not run: the approver rejected this call.')).output?.message?.content).toStrictEqual([{ text: 'Your refund is being reviewed.' }]);
  });

  it('refuses what Bedrock refuses with ValidationException', async () => {
    const cases: ConverseCommandInput[] = [
      { ...ask, messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] },
      {
        ...ask,
        messages: [
          { role: 'user', content: [{ text: 'a' }] },
          { role: 'user', content: [{ text: 'b' }] },
        ],
      },
      { ...ask, messages: [{ role: 'user', content: [{ text: '  ' }] }] },
      {
        ...ask,
        messages: [
          { role: 'user', content: [{ text: 'a' }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'refunds_issue', input: {} } }] },
          { role: 'user', content: [{ text: 'no result' }] },
        ],
      },
      { ...ask, inferenceConfig: { temperature: 3 } },
      { ...ask, toolConfig: { tools: [{ toolSpec: { name: 'refunds.issue', inputSchema: { json: {} } } }] } },
    ];
    for (const input of cases) {
      const error = await client.send(new ConverseCommand(input)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationException);
    }
  });

  it('serves Converse only (InvokeModel passes through with the bedrock provider)', async () => {
    const error = await client.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: '{"inputText":"x"}' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toContain('AIOS_MODEL_PROVIDER=bedrock');
    // Signed-looking, as every AWS client sends it (an unsigned call is refused before any route).
    const authorization = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=0';
    const res = await fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse-stream`, { method: 'POST', body: '{}', headers: { authorization } });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });
});

describe('local Bedrock endpoint: openai provider and recorder', () => {
  let fake: FakeOpenAi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('translates tools and tool calls both ways and maps usage', async () => {
    fake = await startFakeOpenAi([
      chatAnswer({
        text: 'Refunding.',
        toolCalls: [{ id: 'call_1', name: 'refunds_issue', arguments: { amount: 18 } }],
        promptTokens: 50,
        completionTokens: 9,
      }),
      chatAnswer({ text: 'Refunded $18.', promptTokens: 80, completionTokens: 5 }),
    ]);
    current = selectModelProvider({
      AIOS_MODEL_PROVIDER: 'openai',
      AIOS_OPENAI_BASE_URL: fake.baseUrl,
      AIOS_OPENAI_MODEL: 'llama3.1',
      AIOS_OPENAI_API_KEY: 'k',
    }).provider;

    const first = await client.send(new ConverseCommand({ ...ask, inferenceConfig: { maxTokens: 300, temperature: 0.2 } }));
    expect(first.stopReason).toBe('tool_use');
    expect(first.output?.message?.content).toStrictEqual([
      { text: 'Refunding.' },
      { toolUse: { toolUseId: 'call_1', name: 'refunds_issue', input: { amount: 18 } } },
    ]);
    expect(first.usage).toStrictEqual({ inputTokens: 50, outputTokens: 9, totalTokens: 59 });
    expect(fake.requests[0]).toStrictEqual({
      model: 'llama3.1',
      messages: [
        { role: 'system', content: 'You triage support tickets.' },
        { role: 'user', content: 'Ticket T-1042: my bag arrived torn.' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'refunds_issue', description: 'Issue a refund', parameters: { type: 'object', properties: { amount: { type: 'number' } } } },
        },
      ],
      max_tokens: 300,
      temperature: 0.2,
      stream: false,
    });
    expect(fake.authorizations[0]).toBe('Bearer k');

    const second = await client.send(
      new ConverseCommand({
        ...ask,
        messages: [
          ...ask.messages!,
          first.output!.message!,
          { role: 'user', content: [{ toolResult: { toolUseId: 'call_1', content: [{ json: { refundId: 'r-1' } }], status: 'success' } }] },
        ],
      }),
    );
    expect(second.output?.message?.content).toStrictEqual([{ text: 'Refunded $18.' }]);
    expect((fake.requests[1].messages as unknown[]).slice(2)).toStrictEqual([
      {
        role: 'assistant',
        content: 'Refunding.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'refunds_issue', arguments: '{"amount":18}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"refundId":"r-1"}' },
    ]);
  });

  it('passes model ids and ARNs through the path intact', async () => {
    fake = await startFakeOpenAi((body) => chatAnswer({ text: String(body.model) }));
    current = selectModelProvider({ AIOS_MODEL_PROVIDER: 'openai', AIOS_OPENAI_BASE_URL: fake.baseUrl }).provider;
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';
    for (const modelId of [MODEL, arn]) {
      const out = await client.send(new ConverseCommand({ ...ask, modelId }));
      expect(out.output?.message?.content).toStrictEqual([{ text: modelId }]);
    }
  });

  it('maps upstream failures to Bedrock exceptions', async () => {
    fake = await startFakeOpenAi([{ status: 404, body: { error: { message: 'model "nope" not found' } } }]);
    current = selectModelProvider({ AIOS_MODEL_PROVIDER: 'openai', AIOS_OPENAI_BASE_URL: fake.baseUrl }).provider;
    const missing = await client.send(new ConverseCommand(ask)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toContain('not found');

    const url = fake.baseUrl;
    await fake.close();
    fake = undefined;
    current = selectModelProvider({ AIOS_MODEL_PROVIDER: 'openai', AIOS_OPENAI_BASE_URL: url }).provider;
    const down = await client.send(new ConverseCommand(ask)).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ServiceUnavailableException);
    expect((down as Error).message).toContain('AIOS_OPENAI_BASE_URL');
  });

  it('records openai answers that replay then gives back offline', async () => {
    fake = await startFakeOpenAi([
      chatAnswer({ toolCalls: [{ id: 'call_9', name: 'refunds_issue', arguments: '{"amount":7}' }] }),
      chatAnswer({ text: 'All set.' }),
    ]);
    current = selectModelProvider(
      { AIOS_MODEL_PROVIDER: 'openai', AIOS_OPENAI_BASE_URL: fake.baseUrl, AIOS_MODEL_RECORD: '1' },
      { recordingsDir: dir },
    ).provider;
    const live1 = await client.send(new ConverseCommand(ask));
    const next: ConverseCommandInput = {
      ...ask,
      messages: [...ask.messages!, live1.output!.message!, { role: 'user', content: [{ toolResult: { toolUseId: 'call_9', content: [{ text: 'ok' }] } }] }],
    };
    const live2 = await client.send(new ConverseCommand(next));

    const files = readdirSync(dir);
    expect(files).toStrictEqual([`triage-${conversationKey(ask as ConverseRequest).split('#')[1]}.json`]);
    const saved = JSON.parse(readFileSync(path.join(dir, files[0]), 'utf8')) as { conversation: string; turns: { requestHash: string }[] };
    expect(saved.conversation).toBe(conversationKey(ask as ConverseRequest));
    expect((saved as unknown as { modelId: string }).modelId).toBe(MODEL);
    expect(saved.turns).toHaveLength(2);
    expect(saved.turns[0].requestHash).toBe(requestHash(ask as ConverseRequest));

    current = selectModelProvider({}, { recordingsDir: dir }).provider;
    const replay1 = await client.send(new ConverseCommand(ask));
    const replay2 = await client.send(new ConverseCommand(next));
    expect(replay1.output).toStrictEqual(live1.output);
    expect(replay1.usage).toStrictEqual(live1.usage);
    expect(replay2.output).toStrictEqual(live2.output);
  });

  it('passes through to a Bedrock endpoint with the real SDK, answers and errors alike', async () => {
    // "Real Bedrock" here is a second local endpoint replaying a recording.
    const upstreamApp = new Hono();
    const replay = createReplayProvider({ dir });
    const embed: ModelProvider['invoke'] = async ({ modelId, body }) => ({
      body: new TextEncoder().encode(
        JSON.stringify({ embedding: [0.6, 0.8], modelId, inputText: (JSON.parse(new TextDecoder().decode(body)) as { inputText: string }).inputText }),
      ),
      contentType: 'application/json',
    });
    upstreamApp.route('/', createBedrockApp({ provider: { name: 'upstream', converse: replay.converse, invoke: embed } }));
    const upstream = await startLocalHttpServer({ services: [], rest: upstreamApp });
    try {
      writeFileSync(path.join(dir, 'up.json'), JSON.stringify(recording(conversationKey(ask as ConverseRequest), ['From upstream.'])));
      current = createBedrockProvider({ endpoint: upstream.url, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' } });
      const answer = await client.send(new ConverseCommand(ask));
      expect(answer.output?.message?.content).toStrictEqual([{ text: 'From upstream.' }]);
      const missing = await client.send(new ConverseCommand({ ...ask, messages: [{ role: 'user', content: [{ text: 'unknown' }] }] })).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect((missing as Error).message).toContain('no recording for conversation');
      const embedded = await client.send(
        new InvokeModelCommand({
          modelId: 'amazon.titan-embed-text-v2:0',
          body: JSON.stringify({ inputText: 'refund policy' }),
          contentType: 'application/json',
        }),
      );
      expect(JSON.parse(new TextDecoder().decode(embedded.body))).toStrictEqual({
        embedding: [0.6, 0.8],
        modelId: 'amazon.titan-embed-text-v2:0',
        inputText: 'refund policy',
      });
    } finally {
      await upstream.close();
    }
    expect(envWithoutEndpointOverrides({ AWS_ENDPOINT_URL: 'x', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'y', AWS_REGION: 'eu-west-1' })).toStrictEqual({
      AWS_REGION: 'eu-west-1',
    });
  });

  it('refuses an unknown provider or a recorder without a live provider', () => {
    expect(() => selectModelProvider({ AIOS_MODEL_PROVIDER: 'gpt' })).toThrow(expect.objectContaining({ code: 'Model.ProviderConfig' }));
    expect(() => selectModelProvider({ AIOS_MODEL_RECORD: '1' })).toThrow(/AIOS_MODEL_RECORD/);
    expect(() => selectModelProvider({ AIOS_MODEL_PROVIDER: 'openai' })).toThrow(/AIOS_OPENAI_BASE_URL/);
  });
});
