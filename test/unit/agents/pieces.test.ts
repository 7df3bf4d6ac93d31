import { z } from 'zod';
import { bedrockToolName, toolIdFromBedrockName, toolNameMap } from '../../../shared/agents/tool-names';
import { agentPrice, baseModelId, costAt, costOf, PRICE_TABLE } from '../../../shared/agents/prices';
import { toJsonSchema } from '../../../shared/agents/json-schema';
import { extractJson, readFinalOutput } from '../../../shared/agents/final-output';

describe('tool names', () => {
  it('maps tool ids to Bedrock names and back', () => {
    for (const id of ['refunds.issue', 'knowledge.search', 'http.request', 'crm-sync.note', 'a1.b2.c3']) {
      const name = bedrockToolName(id);
      expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(toolIdFromBedrockName(name)).toBe(id);
    }
    const map = toolNameMap(['refunds.issue', 'tickets.reply']);
    expect(map.toBedrock('refunds.issue')).toBe('refunds_issue');
    expect(map.toToolId('tickets_reply')).toBe('tickets.reply');
    expect(map.toToolId('email_send')).toBeUndefined();
  });

  it('refuses two tools with the same Bedrock name', () => {
    expect(() => toolNameMap(['a.b', 'a_b'])).toThrow(expect.objectContaining({ code: 'Agent.ToolNameCollision' }));
  });
});

describe('prices', () => {
  it('prices models, inference profiles and ARNs from the table', () => {
    expect(costOf('anthropic.claude-3-haiku-20240307-v1:0', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toStrictEqual({ costUsd: 1.5, priced: true });
    expect(baseModelId('us.amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0')).toBe('meta.llama3-1-8b-instruct-v1:0');
    expect(costOf('eu.amazon.nova-micro-v1:0', { inputTokens: 2000, outputTokens: 1000 }).costUsd).toBeCloseTo(0.00021, 10);
    expect(costOf('mistral.mistral-large-2407-v1:0', { inputTokens: 1000, outputTokens: 1000 }).costUsd).toBeCloseTo(0.008, 10);
  });

  it('lets the definition override the price, and marks unknown models unpriced', () => {
    expect(costOf('anthropic.claude-3-haiku-20240307-v1:0', { inputTokens: 1000, outputTokens: 1000 }, { inputPer1k: 1, outputPer1k: 2 })).toStrictEqual({
      costUsd: 3,
      priced: true,
    });
    expect(costOf('acme.unknown-v1', { inputTokens: 1000, outputTokens: 1000 })).toStrictEqual({ costUsd: 0, priced: false });
  });

  it("settles an agent's price before its step: its own override, else the definition's for its model, else the table's, else none", () => {
    const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
    const overrides = { [haiku]: { inputPer1k: 1, outputPer1k: 2 }, 'acme.unknown-v1': { inputPer1k: 0.5, outputPer1k: 0.5 } };
    expect(agentPrice({ model: haiku, prices: { inputPer1k: 3, outputPer1k: 4 } }, overrides)).toStrictEqual({ inputPerMillion: 3000, outputPerMillion: 4000 });
    expect(agentPrice({ model: haiku }, overrides)).toStrictEqual({ inputPerMillion: 1000, outputPerMillion: 2000 });
    expect(agentPrice({ model: `us.${haiku}` }, overrides)).toStrictEqual(PRICE_TABLE[haiku]);
    expect(agentPrice({ model: 'acme.other-v1' }, overrides)).toBeNull();
    // The settled price costs a call as costOf does.
    const usage = { inputTokens: 1234, outputTokens: 567 };
    expect(costAt(agentPrice({ model: haiku }, {}), usage)).toStrictEqual(costOf(haiku, usage));
    expect(costAt(null, usage)).toStrictEqual({ costUsd: 0, priced: false });
  });
});

describe('tool input schema', () => {
  it('converts zod to JSON Schema without $schema, transforms and dates included', () => {
    const json = toJsonSchema(z.object({ orderId: z.string(), when: z.date().optional(), currency: z.enum(['USD', 'EUR']).default('USD') }));
    expect(json).toStrictEqual({
      type: 'object',
      properties: { orderId: { type: 'string' }, when: {}, currency: { type: 'string', enum: ['USD', 'EUR'], default: 'USD' } },
      required: ['orderId'],
    });
  });
});

describe('final output', () => {
  it('finds JSON in plain, fenced and chatty answers', () => {
    expect(extractJson('{"a":1}')).toStrictEqual({ a: 1 });
    expect(extractJson('Sure:\n```json\n{"a":2}\n```')).toStrictEqual({ a: 2 });
    expect(extractJson('Result: {"a":3} — done')).toStrictEqual({ a: 3 });
    expect(extractJson('nothing')).toBeUndefined();
  });

  it('validates against the schema and reports where it fails', () => {
    const schema = z.object({ reply: z.string() });
    expect(readFinalOutput('{"reply":"hi"}', schema)).toStrictEqual({ ok: true, output: { reply: 'hi' } });
    expect(readFinalOutput('{"reply":1}', schema)).toMatchObject({ ok: false, problems: expect.stringContaining('reply:') });
    expect(readFinalOutput('"x"', z.string())).toStrictEqual({ ok: true, output: { value: 'x' } });
  });
});
