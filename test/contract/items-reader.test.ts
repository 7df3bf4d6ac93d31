import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AgentStepEnvironment } from '../../functions/agent-step/agent-step-environment';
import { handleAgentStep } from '../../functions/agent-step/agent-step-handler';
import { beforeTurnReads } from '../../shared/agents/before-turn';
import type { ConverseResponse } from '../../shared/agents/converse-shapes';
import { AgentSuspendedError } from '../../shared/agents/errors';
import type { StepAgent } from '../../shared/agents/agent-step';
import { ConversationStore } from '../../shared/agents/conversation-store';
import { UsageLedger } from '../../shared/agents/usage-ledger';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { dynamoDbItemsReader, itemsReaderOf } from '../../shared/storage/items-reader';
import { MemoryTable } from '../../shared/storage/memory-table';
import { onMemoryAndDynalite, startDynalite, type DynaliteHandle } from '../support/dynalite';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite.close());

const call = { agentId: 'triage', turn: 1, attempt: 0, modelId: 'm', stopReason: 'end_turn', costUsd: 0.5, priced: true, latencyMs: 1, at: '' };

describe.each(
  onMemoryAndDynalite(() => dynalite, ['a memory table, one get each', 'dynalite, one BatchGetItem'], { memory: itemsReaderOf, dynamodb: dynamoDbItemsReader }),
)('reading items by key on %s', (_name, open) => {
  it('gives each item in the place of its key, undefined where there is none', async () => {
    const [table, read] = await open();
    await table.put({ pk: 'b', sk: '2', n: 2 });
    await table.put({ pk: 'a', sk: '1', n: 1, nested: { list: [1, 'x'] } });
    expect(
      await read([
        { pk: 'b', sk: '2' },
        { pk: 'missing', sk: 'x' },
        { pk: 'a', sk: '1' },
      ]),
    ).toStrictEqual([{ pk: 'b', sk: '2', n: 2 }, undefined, { pk: 'a', sk: '1', n: 1, nested: { list: [1, 'x'] } }]);
  });

  it('reads a suspension and the run’s token totals before a turn, as the stores wrote them', async () => {
    const [table, read] = await open();
    const before = beforeTurnReads(read);
    expect(await before('r1', 'triage')).toStrictEqual({ suspension: undefined, totals: { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 } });
    await new UsageLedger(table).record('r1', { ...call, inputTokens: 100, outputTokens: 20 });
    await new UsageLedger(table).record('r1', { ...call, inputTokens: 50, outputTokens: 5 });
    const control = { kind: 'agent' as const, id: 'triage', by: 'sam', byName: 'Sam', at: '2026-01-01T00:00:00.000Z', why: 'refunds too generous' };
    await new ControlStore(table).set(control);
    const read2 = await before('r1', 'triage');
    expect(read2).toStrictEqual({ suspension: control, totals: { inputTokens: 150, outputTokens: 25, costUsd: 1, calls: 2 } });
    expect(read2.totals).toStrictEqual(await new UsageLedger(table).totals('r1', 'triage'));
    expect((await before('r2', 'other')).suspension).toBeUndefined();
  });
});

it('asks again for keys DynamoDB left unprocessed', async () => {
  const table = await dynalite.table();
  await table.put({ pk: 'a', sk: '1' });
  await table.put({ pk: 'b', sk: '2' });
  // The first answer leaves one key unprocessed, as DynamoDB does when it throttles part of a batch.
  let calls = 0;
  const throttling = {
    send: async (command: Parameters<DynamoDBClient['send']>[0]) => {
      const out = (await dynalite.client.send(command as never)) as { Responses?: Record<string, unknown[]>; UnprocessedKeys?: Record<string, unknown> };
      if (calls++ > 0) return out;
      const input = (command as unknown as { input: { RequestItems: Record<string, { Keys: unknown[] }> } }).input;
      const kept = out.Responses![table.name].filter((item) => (item as { pk: { S: string } }).pk.S === 'a');
      const left = input.RequestItems[table.name].Keys.slice(1);
      return { Responses: { [table.name]: kept }, UnprocessedKeys: { [table.name]: { Keys: left, ConsistentRead: true } } };
    },
  } as unknown as DynamoDBClient;
  const items = await dynamoDbItemsReader(
    throttling,
    table.name,
  )([
    { pk: 'a', sk: '1' },
    { pk: 'b', sk: '2' },
  ]);
  expect(calls).toBe(2);
  expect(items.map((i) => i?.pk)).toStrictEqual(['a', 'b']);
});

describe('the agent step reads its suspension and its totals in one request', () => {
  const agent: StepAgent = {
    id: 'triage',
    model: 'm',
    instructions: 'Triage.',
    tools: [],
    knowledge: [],
    maxTurns: 3,
    tokenBudget: 1000,
    maxTokens: 100,
    price: null,
  };
  const input = { runId: 'r1', workflowId: 'support-desk', stepId: 'triage', agentId: 'triage', turn: 0, input: 'hi', outcomes: [] };

  async function environment() {
    const state = await dynalite.table();
    const requests: string[] = [];
    const counted = new Proxy(dynalite.client, {
      get: (target, prop) =>
        prop === 'send'
          ? (command: { constructor: { name: string } }) => (requests.push(command.constructor.name), target.send(command as never))
          : Reflect.get(target, prop),
    });
    const converse = jest.fn(async (): Promise<ConverseResponse> => ({
      output: { message: { role: 'assistant', content: [{ text: 'done' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 },
      metrics: { latencyMs: 1 },
    }));
    const env: AgentStepEnvironment = {
      os: { agents: [agent], tools: [] },
      state,
      converse,
      suspensions: agentSuspensions(new ControlStore(state)),
      beforeTurn: beforeTurnReads(dynamoDbItemsReader(counted, state.name)),
    };
    return { state, env, converse, requests };
  }

  it('a suspended agent is refused before its model is called', async () => {
    const { state, env, converse, requests } = await environment();
    await new ControlStore(state).set({ kind: 'agent', id: 'triage', by: 'maya', byName: 'Maya Chen', at: '2026-01-01T00:00:00Z', why: 'wrong refunds' });
    await expect(handleAgentStep(input, env)).rejects.toBeInstanceOf(AgentSuspendedError);
    expect(converse).not.toHaveBeenCalled();
    expect(requests).toStrictEqual(['BatchGetItemCommand']);
  });

  it('the totals read with it are the budget the turn is held to, without reading them again', async () => {
    const { state, env, converse } = await environment();
    const gets: string[] = [];
    const get = state.get.bind(state);
    state.get = async (key) => (gets.push(key.sk), get(key));
    expect(await handleAgentStep(input, env)).toMatchObject({ status: 'done', output: { text: 'done' } });
    expect(gets).toStrictEqual([]);
    await new UsageLedger(state).record('r1', { ...call, inputTokens: 990, outputTokens: 0 });
    await expect(handleAgentStep({ ...input, runId: 'r1', turn: 1 }, env)).rejects.toMatchObject({ code: 'Agent.TokenBudgetExceeded' });
    expect(converse).toHaveBeenCalledTimes(1);
  });

  it('a first turn asks whether its conversation has a first message in the same request, and queries it only if so', async () => {
    const { state, env, requests } = await environment();
    const queries: string[] = [];
    const query = state.query.bind(state);
    state.query = async (pk, options) => (queries.push(options?.skPrefix ?? ''), query(pk, options));
    await handleAgentStep(input, env);
    expect(requests).toStrictEqual(['BatchGetItemCommand']);
    expect(queries).toStrictEqual([]);
    // A retry of that first turn (its first attempt stored the turn, then failed): the conversation is read and rebuilt.
    await handleAgentStep(input, env);
    expect(queries).toStrictEqual(['conv#triage#triage#']);
    const store = new ConversationStore(await dynalite.table(state.name));
    expect((await store.load({ runId: 'r1', agentId: 'triage', stepId: 'triage' })).map((m) => [m.seq, m.turn])).toStrictEqual([
      [1, 1],
      [2, 1],
    ]);
    // A later turn reads the conversation as always.
    await handleAgentStep({ ...input, turn: 1 }, env);
    expect(queries).toStrictEqual(['conv#triage#triage#', 'conv#triage#triage#']);
  });
});

it('a discarded turn loses its newest messages first, so its first message is the last to go', async () => {
  const table = new MemoryTable('state');
  const store = new ConversationStore(table);
  const ref = { runId: 'r1', agentId: 'triage', stepId: 'triage' };
  const says = (seq: number) => ({ seq, turn: 1, message: { role: 'user' as const, content: [{ text: 'x'.repeat(200_000) }] } });
  await store.appendTurn(ref, [says(1), says(2), says(3)]);
  const deleted: string[] = [];
  const remove = table.delete.bind(table);
  table.delete = async (key, condition) => (deleted.push(key.sk.slice(-1)), remove(key, condition));
  expect(await store.discardFromTurn(ref, 1, await store.load(ref))).toStrictEqual([]);
  expect(deleted).toStrictEqual(['3', '2', '1']);
});
