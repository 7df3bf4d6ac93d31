import { z } from 'zod';
import { runAgentStep, type AgentStepDeps, type StepAgent } from '../../../shared/agents/agent-step';
import { agentForModel, toolForModel } from '../../../shared/agents/json-schema';
import { ConversationStore } from '../../../shared/agents/conversation-store';
import type { ConverseRequest, ConverseResponse, Message } from '../../../shared/agents/converse-shapes';
import { priceOf } from '../../../shared/agents/prices';
import { UsageLedger } from '../../../shared/agents/usage-ledger';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { isAiosError } from '../../../shared/errors';

const refundsIssue = toolForModel({
  id: 'refunds.issue',
  description: 'Issue a refund for an order',
  input: z.object({ orderId: z.string(), amount: z.number() }),
});
const knowledgeSearch = toolForModel({ id: 'knowledge.search', description: 'Search the knowledge base', input: z.object({ query: z.string() }) });

const triage: StepAgent = agentForModel({
  id: 'triage',
  model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  instructions: 'You triage support tickets for Kestrel Coffee Co.',
  tools: ['refunds.issue', 'knowledge.search'],
  knowledge: ['support'],
  output: z.object({ reply: z.string(), refund: z.number().optional() }),
  maxTurns: 4,
  tokenBudget: 10_000,
  maxTokens: 1000,
  // The price table's, as the agent step's definition settles it.
  price: priceOf('us.anthropic.claude-haiku-4-5-20251001-v1:0') ?? null,
});

function answer(content: Message['content'], stopReason: string, inputTokens = 100, outputTokens = 20): ConverseResponse {
  return {
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: 5 },
  };
}

/** A scripted model: answers in order and keeps every request it got. */
function scripted(...answers: ConverseResponse[]) {
  const requests: ConverseRequest[] = [];
  return {
    requests,
    converse: async (r: ConverseRequest) => {
      requests.push(structuredClone(r));
      const next = answers.shift();
      if (!next) throw new Error('the script has no more answers');
      return next;
    },
  };
}

function setup(model: ReturnType<typeof scripted>, agent: StepAgent = triage) {
  const table = new MemoryTable('state');
  const deps: AgentStepDeps = {
    agent,
    tools: [refundsIssue, knowledgeSearch],
    converse: model.converse,
    conversations: new ConversationStore(table),
    usage: new UsageLedger(table),
    knowledge: async ({ namespaces }) => [{ namespace: namespaces[0], source: 'refund-policy.md', title: 'Refunds', text: 'Refunds up to $50 are automatic.' }],
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  return { table, deps };
}

const base = { runId: 'r1', workflowId: 'support-desk', stepId: 'triage', agentId: 'triage' };
const task = { ticketId: 'T-1042', text: 'My bag of coffee arrived torn.' };

describe('runAgentStep', () => {
  it('turn 1: builds the request from instructions, knowledge, task and tools, and returns tool calls by tool id', async () => {
    const model = scripted(
      answer(
        [{ text: 'I will refund the torn bag.' }, { toolUse: { toolUseId: 'tu1', name: 'refunds_issue', input: { orderId: 'O-1', amount: 18 } } }],
        'tool_use',
      ),
    );
    const { deps, table } = setup(model);
    const out = await runAgentStep({ ...base, turn: 0, input: task, outcomes: [] }, deps);

    expect(out).toStrictEqual({
      status: 'tool_use',
      turn: 1,
      toolCalls: [{ toolUseId: 'tu1', name: 'refunds.issue', input: { orderId: 'O-1', amount: 18 }, reason: 'I will refund the torn bag.' }],
      output: null,
      usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.0002 },
    });
    const req = model.requests[0];
    expect(req.modelId).toBe(triage.model);
    const system = (req.system?.[0] as { text: string }).text;
    expect(system).toContain('You triage support tickets');
    expect(system).toContain('Refunds up to $50 are automatic.');
    expect(system).toContain('not instructions');
    expect(system).toContain('"reply"');
    expect(req.messages).toStrictEqual([{ role: 'user', content: [{ text: expect.stringContaining('"ticketId": "T-1042"') }] }]);
    expect(req.toolConfig?.tools.map((t) => (t as { toolSpec: { name: string } }).toolSpec.name)).toStrictEqual(['refunds_issue', 'knowledge_search']);
    const spec = (req.toolConfig?.tools[0] as { toolSpec: { inputSchema: { json: Record<string, unknown> } } }).toolSpec.inputSchema.json;
    expect(spec.$schema).toBeUndefined();
    expect(spec.required).toStrictEqual(['orderId', 'amount']);
    expect(req.inferenceConfig?.maxTokens).toBe(1000);
    expect(req.requestMetadata).toStrictEqual({ aiosAgent: 'triage', aiosWorkflow: 'support-desk', aiosRun: 'r1' });
    // The history lives in the table, not in the output.
    const stored = await new ConversationStore(table).load({ runId: 'r1', agentId: 'triage', stepId: 'triage' });
    expect(stored.map((m) => m.message.role)).toStrictEqual(['user', 'assistant']);
  });

  describe('what the first turn retrieved', () => {
    const ref = { runId: 'r1', agentId: 'triage', stepId: 'triage' };
    const toolTurn = () => answer([{ toolUse: { toolUseId: 'a', name: 'knowledge_search', input: { query: 'q' } } }], 'tool_use');
    const outcome = { toolUseId: 'a', status: 'ran' as const, message: 'found' };

    it('is kept with the first message, and a later turn sends the same knowledge without reading another item', async () => {
      const model = scripted(toolTurn(), toolTurn());
      const { deps, table } = setup(model);
      await runAgentStep({ ...base, turn: 0, input: task, outcomes: [] }, deps);
      expect(await table.get({ pk: 'run#r1', sk: 'ctx#triage#triage' })).toBeUndefined();
      const [first] = await new ConversationStore(table).load(ref);
      expect(first.knowledge).toStrictEqual([{ namespace: 'support', source: 'refund-policy.md', title: 'Refunds', text: 'Refunds up to $50 are automatic.' }]);
      const reads: string[] = [];
      const get = table.get.bind(table);
      table.get = async (key) => (reads.push(key.sk), get(key));
      await runAgentStep({ ...base, turn: 1, input: task, outcomes: [outcome] }, deps);
      expect(reads).not.toContain('ctx#triage#triage');
      expect(model.requests[1].system).toStrictEqual(model.requests[0].system);
      expect(model.requests[1].system![0]).toMatchObject({ text: expect.stringContaining('Refunds up to $50 are automatic.') });
      expect((await new ConversationStore(table).ofRun('r1'))[0].knowledge).toStrictEqual(first.knowledge);
    });

    it('a conversation stored with its knowledge in an item of its own (before) is read as it was', async () => {
      const model = scripted(toolTurn(), toolTurn());
      const { deps, table } = setup(model);
      await runAgentStep({ ...base, turn: 0, input: task, outcomes: [] }, deps);
      const [first] = await new ConversationStore(table).load(ref);
      const item = (await table.get({ pk: 'run#r1', sk: 'conv#triage#triage#000001' }))!;
      delete item.knowledge;
      await table.put(item);
      await new ConversationStore(table).saveContext(ref, { knowledge: first.knowledge! });
      await runAgentStep({ ...base, turn: 1, input: task, outcomes: [outcome] }, deps);
      expect(model.requests[1].system).toStrictEqual(model.requests[0].system);
    });

    it('knowledge that would make the first message too big for an item is kept in an item of its own', async () => {
      const store = new ConversationStore(new MemoryTable('state'));
      const big = [{ namespace: 'support', source: 'long.md', title: 'Long', text: 'x'.repeat(310_000) }];
      await store.append(ref, { seq: 1, turn: 1, message: { role: 'user', content: [{ text: 'hi' }] }, knowledge: big });
      const [first] = await store.load(ref);
      expect(first.knowledge).toBeUndefined();
      expect(await store.loadContext(ref)).toStrictEqual({ knowledge: big });
    });
  });

  it('turn 2: sends the outcomes as toolResults in toolUse order and returns the validated final output', async () => {
    const model = scripted(
      answer(
        [
          { toolUse: { toolUseId: 'a', name: 'knowledge_search', input: { query: 'torn bag' } } },
          { toolUse: { toolUseId: 'b', name: 'refunds_issue', input: { orderId: 'O-1', amount: 18 } } },
        ],
        'tool_use',
      ),
      answer([{ text: '{"reply":"Sorry! We refunded $18.","refund":18}' }], 'end_turn', 300, 30),
    );
    const { deps, table } = setup(model);
    await runAgentStep({ ...base, turn: 0, input: task, outcomes: [] }, deps);
    const out = await runAgentStep({ ...base, turn: 1, input: task, outcomes: [{ toolUseId: 'b', status: 'denied', message: 'over the limit' }] }, deps);

    expect(out.status).toBe('done');
    expect(out.output).toStrictEqual({ reply: 'Sorry! We refunded $18.', refund: 18 });
    const last = model.requests[1].messages!.at(-1)!;
    expect(last).toStrictEqual({
      role: 'user',
      content: [
        { toolResult: { toolUseId: 'a', content: [{ text: 'The tool call failed. no outcome was recorded for this call' }], status: 'error' } },
        { toolResult: { toolUseId: 'b', content: [{ text: 'Not run: the decision rights deny this call. over the limit' }], status: 'error' } },
      ],
    });
    expect(await new UsageLedger(table).totals('r1', 'triage')).toStrictEqual({ inputTokens: 400, outputTokens: 50, costUsd: 0.0002 + 0.00045, calls: 2 });
    // The same calls in the day's totals over every run (the console's "today").
    expect(await new UsageLedger(table).dayTotals('2026-01-01')).toStrictEqual({ inputTokens: 400, outputTokens: 50, costUsd: 0.0002 + 0.00045, calls: 2 });
  });

  it('re-asks once on output that does not match the schema, then accepts a corrected answer', async () => {
    const model = scripted(answer([{ text: 'Here you go: {"reply": 5}' }], 'end_turn'), answer([{ text: '```json\n{"reply":"Fixed"}\n```' }], 'end_turn'));
    const { deps } = setup(model);
    const out = await runAgentStep({ ...base, turn: 0, input: task }, deps);
    expect(out.output).toStrictEqual({ reply: 'Fixed' });
    expect(out.usage.inputTokens).toBe(200);
    const reask = model.requests[1].messages!.at(-1)!;
    expect(reask.role).toBe('user');
    expect((reask.content[0] as { text: string }).text).toContain('reply: Invalid input: expected string');
  });

  it('fails with Agent.InvalidOutput when the re-ask is still invalid', async () => {
    const model = scripted(answer([{ text: 'no json here' }], 'end_turn'), answer([{ text: '{"refund": 3}' }], 'end_turn'));
    const { deps } = setup(model);
    await expect(runAgentStep({ ...base, turn: 0, input: task }, deps)).rejects.toMatchObject({ code: 'Agent.InvalidOutput' });
  });

  it('refuses an agent whose output schema came without its JSON Schema, before calling the model', async () => {
    const model = scripted();
    const { deps } = setup(model, { ...triage, outputSchema: undefined });
    await expect(runAgentStep({ ...base, turn: 0, input: task }, deps)).rejects.toMatchObject({ code: 'Agent.OutputSchemaMissing' });
    expect(model.requests).toEqual([]);
  });

  it('gives { text } as the output of an agent without an output schema', async () => {
    const model = scripted(answer([{ text: 'All done.' }], 'stop_sequence'));
    const { deps } = setup(model, { ...triage, output: undefined, outputSchema: undefined });
    expect((await runAgentStep({ ...base, turn: 0, input: 'Say done' }, deps)).output).toStrictEqual({ text: 'All done.' });
  });

  it('never passes on a call to a tool the agent does not have, and answers it with an error result', async () => {
    const model = scripted(
      answer(
        [
          { toolUse: { toolUseId: 'x', name: 'payments_wire', input: { amount: 1e6 } } },
          { toolUse: { toolUseId: 'y', name: 'knowledge_search', input: { query: 'q' } } },
        ],
        'tool_use',
      ),
      answer([{ text: '{"reply":"ok"}' }], 'end_turn'),
    );
    const { deps } = setup(model);
    const first = await runAgentStep({ ...base, turn: 0, input: task }, deps);
    expect(first.toolCalls.map((c) => c.name)).toStrictEqual(['knowledge.search']);
    await runAgentStep({ ...base, turn: 1, input: task, outcomes: [{ toolUseId: 'y', status: 'ran', message: '3 excerpts' }] }, deps);
    expect(model.requests[1].messages!.at(-1)!.content).toStrictEqual([
      {
        toolResult: {
          toolUseId: 'x',
          content: [{ text: 'The tool call failed. "payments_wire" is not one of your tools; use only the tools you were given.' }],
          status: 'error',
        },
      },
      { toolResult: { toolUseId: 'y', content: [{ text: '3 excerpts' }], status: 'success' } },
    ]);
  });

  it('enforces the token budget per run and caps maxTokens at what is left', async () => {
    const model = scripted(
      answer([{ toolUse: { toolUseId: 't', name: 'knowledge_search', input: { query: 'q' } } }], 'tool_use', 1500, 200),
      answer([{ toolUse: { toolUseId: 'u', name: 'knowledge_search', input: { query: 'q' } } }], 'tool_use', 200, 200),
    );
    const { deps } = setup(model, { ...triage, tokenBudget: 2000 });
    await runAgentStep({ ...base, turn: 0, input: task }, deps);
    await runAgentStep({ ...base, turn: 1, input: task, outcomes: [] }, deps);
    expect(model.requests[1].inferenceConfig?.maxTokens).toBe(300);
    await expect(runAgentStep({ ...base, turn: 2, input: task, outcomes: [] }, deps)).rejects.toMatchObject({
      code: 'Agent.TokenBudgetExceeded',
      details: { used: 2100, budget: 2000 },
    });
    expect(model.requests).toHaveLength(2);
  });

  it('fails with Agent.MaxTurnsReached beyond maxTurns', async () => {
    const { deps } = setup(scripted());
    await expect(runAgentStep({ ...base, turn: 4, input: task }, deps)).rejects.toMatchObject({ code: 'Agent.MaxTurnsReached' });
  });

  it.each([
    ['guardrail_intervened', 'Agent.GuardrailIntervened'],
    ['content_filtered', 'Agent.ContentFiltered'],
    ['model_context_window_exceeded', 'Agent.ModelStopped'],
  ])('turns stop reason %s into %s', async (stopReason, code) => {
    const { deps } = setup(scripted(answer([{ text: 'Sorry, I cannot help with that.' }], stopReason)));
    const error = await runAgentStep({ ...base, turn: 0, input: task }, deps).catch((e: unknown) => e);
    expect(isAiosError(error, code)).toBe(true);
  });

  it('re-asks once after max_tokens, dropping the cut-off tool call, then fails with Agent.MaxTokens', async () => {
    const model = scripted(
      answer([{ text: 'Let me' }, { toolUse: { toolUseId: 'p', name: 'refunds_issue', input: {} } }], 'max_tokens'),
      answer([{ text: 'Let me' }], 'max_tokens'),
    );
    const { deps } = setup(model);
    await expect(runAgentStep({ ...base, turn: 0, input: task }, deps)).rejects.toMatchObject({ code: 'Agent.MaxTokens' });
    expect(model.requests[1].messages!.slice(1)).toStrictEqual([
      { role: 'assistant', content: [{ text: 'Let me' }] },
      { role: 'user', content: [{ text: expect.stringContaining('cut off') }] },
    ]);
  });

  it('passes the guardrail through', async () => {
    const model = scripted(answer([{ text: '{"reply":"x"}' }], 'end_turn'));
    const { deps } = setup(model, { ...triage, guardrail: { id: 'gr-1', version: '2' } });
    await runAgentStep({ ...base, turn: 0, input: task }, deps);
    expect(model.requests[0].guardrailConfig).toStrictEqual({ guardrailIdentifier: 'gr-1', guardrailVersion: '2', trace: 'enabled' });
  });

  it('rebuilds a retried turn instead of duplicating its messages', async () => {
    const model = scripted(
      answer([{ toolUse: { toolUseId: 't', name: 'knowledge_search', input: { query: 'q' } } }], 'tool_use'),
      answer([{ toolUse: { toolUseId: 't', name: 'knowledge_search', input: { query: 'q' } } }], 'tool_use'),
    );
    const { deps, table } = setup(model);
    await runAgentStep({ ...base, turn: 0, input: task }, deps);
    await runAgentStep({ ...base, turn: 0, input: task }, deps);
    expect(model.requests[1].messages).toHaveLength(1);
    expect(await new ConversationStore(table).load({ runId: 'r1', agentId: 'triage', stepId: 'triage' })).toHaveLength(2);
  });

  describe('a turn is stored in one write', () => {
    const ref = { runId: 'r1', agentId: 'triage', stepId: 'triage' };
    const writes = (table: MemoryTable) => {
      const sks: string[] = [];
      const put = table.put.bind(table);
      table.put = async (item, condition) => (sks.push(item.sk), put(item, condition));
      return sks;
    };

    it('the opening and the answer share the opening message item, read back in order by the step and the console', async () => {
      const model = scripted(
        answer([{ toolUse: { toolUseId: 't', name: 'knowledge_search', input: { query: 'q' } } }], 'tool_use'),
        answer([{ text: '{"reply":"ok"}' }], 'end_turn'),
      );
      const { deps, table } = setup(model);
      const sks = writes(table);
      await runAgentStep({ ...base, turn: 0, input: task }, deps);
      await runAgentStep({ ...base, turn: 1, input: task, outcomes: [{ toolUseId: 't', status: 'ran', message: 'found' }] }, deps);
      expect(sks).toStrictEqual(['conv#triage#triage#000001', 'conv#triage#triage#000003']);
      const stored = await new ConversationStore(table).load(ref);
      expect(stored.map((m) => [m.seq, m.turn, m.message.role])).toStrictEqual([
        [1, 1, 'user'],
        [2, 1, 'assistant'],
        [3, 2, 'user'],
        [4, 2, 'assistant'],
      ]);
      expect(model.requests[1].messages!.map((m) => m.role)).toStrictEqual(['user', 'assistant', 'user']);
      const [conversation] = await new ConversationStore(table).ofRun('r1');
      expect(conversation.messages.map((m) => m.seq)).toStrictEqual([1, 2, 3, 4]);
      expect(conversation.knowledge).toHaveLength(1);
    });

    it('a re-asked turn keeps all four messages in its item, and a retry of the turn deletes that item', async () => {
      const model = scripted(
        answer([{ text: 'no json here' }], 'end_turn'),
        answer([{ text: '{"reply":"Fixed"}' }], 'end_turn'),
        answer([{ text: '{"reply":"Again"}' }], 'end_turn'),
      );
      const { deps, table } = setup(model);
      await runAgentStep({ ...base, turn: 0, input: task }, deps);
      expect((await new ConversationStore(table).load(ref)).map((m) => m.seq)).toStrictEqual([1, 2, 3, 4]);
      expect((await table.query('run#r1', { skPrefix: 'conv#' })).items).toHaveLength(1);
      await runAgentStep({ ...base, turn: 0, input: task }, deps);
      expect((await new ConversationStore(table).load(ref)).map((m) => (m.message.content[0] as { text: string }).text)).toStrictEqual([
        expect.stringContaining('T-1042'),
        '{"reply":"Again"}',
      ]);
    });

    it('a failed turn keeps what it said; a second writer of the same turn is refused', async () => {
      const model = scripted(answer([{ text: 'no json here' }], 'end_turn'), answer([{ text: '{"refund": 3}' }], 'end_turn'));
      const { deps, table } = setup(model);
      await expect(runAgentStep({ ...base, turn: 0, input: task }, deps)).rejects.toMatchObject({ code: 'Agent.InvalidOutput' });
      expect((await new ConversationStore(table).load(ref)).map((m) => m.message.role)).toStrictEqual(['user', 'assistant', 'user', 'assistant']);

      // Two invocations of one turn at once (a duplicate delivery): the conditional write lets one store the turn.
      const twice = scripted(answer([{ text: '{"reply":"a"}' }], 'end_turn'), answer([{ text: '{"reply":"b"}' }], 'end_turn'));
      const other = setup(twice);
      const results = await Promise.allSettled([0, 1].map(() => runAgentStep({ ...base, turn: 0, input: task }, other.deps)));
      expect(results.map((r) => r.status).sort()).toStrictEqual(['fulfilled', 'rejected']);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'Storage.ConditionFailed' } });
      expect(await new ConversationStore(other.table).load(ref)).toHaveLength(2);
    });

    it('messages too big to share an item are written one by one', async () => {
      const table = new MemoryTable('state');
      const store = new ConversationStore(table);
      const long = (text: string): Message => ({ role: 'assistant', content: [{ text: text.repeat(200_000) }] });
      await store.appendTurn(ref, [
        { seq: 1, turn: 1, message: long('a') },
        { seq: 2, turn: 1, message: long('b') },
      ]);
      expect((await table.query('run#r1', { skPrefix: 'conv#' })).items.map((i) => i.sk)).toStrictEqual([
        'conv#triage#triage#000001',
        'conv#triage#triage#000002',
      ]);
      expect((await store.load(ref)).map((m) => m.seq)).toStrictEqual([1, 2]);
    });
  });

  it('rejects input that does not match the contract', async () => {
    const { deps } = setup(scripted());
    await expect(runAgentStep({ ...base, turn: -1, input: task } as never, deps)).rejects.toMatchObject({ code: 'Agent.InvalidStepInput' });
  });

  it('opens with the task and its input, and keeps one conversation per step', async () => {
    const model = scripted(answer([{ text: '{"reply":"a"}' }], 'end_turn'), answer([{ text: '{"reply":"b"}' }], 'end_turn'));
    const { deps, table } = setup(model);
    await runAgentStep({ ...base, task: 'Triage this ticket.', turn: 0, input: { b: 2, a: 1 } }, deps);
    expect(model.requests[0].messages![0].content).toStrictEqual([{ text: 'Triage this ticket.\n\nInput:\n{\n  "a": 1,\n  "b": 2\n}' }]);
    await runAgentStep({ ...base, stepId: 'second-look', turn: 0, input: 'Look again.' }, deps);
    const store = new ConversationStore(table);
    expect(await store.load({ runId: 'r1', agentId: 'triage', stepId: 'triage' })).toHaveLength(2);
    expect(await store.load({ runId: 'r1', agentId: 'triage', stepId: 'second-look' })).toHaveLength(2);
  });

  it.each([
    ['ThrottlingException', 'Agent.ModelThrottled'],
    ['ServiceUnavailableException', 'Agent.ModelUnavailable'],
    ['ValidationException', 'Agent.ModelRequestFailed'],
  ])('turns a Bedrock %s into %s', async (name, code) => {
    const failing = {
      requests: [],
      converse: async () => {
        throw Object.assign(new Error('nope'), { name, $metadata: { httpStatusCode: 400 } });
      },
    };
    const { deps } = setup(failing as never);
    await expect(runAgentStep({ ...base, turn: 0, input: task }, deps)).rejects.toMatchObject({ code, name: code });
  });
});
