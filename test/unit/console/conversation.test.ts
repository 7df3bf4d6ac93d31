/**
 * What the agent was told and said: built from the stored conversation and
 * the audit trail (rights decision and who approved per tool call, tokens
 * and cost per turn, final answer), printed for the terminal and shown on
 * the run page, escaped.
 */
import { z } from 'zod';
import { ConversationStore } from '../../../shared/agents/conversation-store';
import { promptAgentOf } from '../../../shared/agents/json-schema';
import { toolNameMap } from '../../../shared/agents/tool-names';
import { buildConversations, renderConversations } from '../../../shared/run-conversation';
import { consoleHarness, pendingRefund, signIn, T0 } from './console-harness';

const AGENT = promptAgentOf({ id: 'triage', instructions: 'You triage support tickets for Kestrel Coffee.', output: z.object({ resolution: z.string() }) });

async function storeConversation(h: ReturnType<typeof consoleHarness>): Promise<void> {
  const store = new ConversationStore(h.state);
  const ref = { runId: 'run-1', agentId: 'triage', stepId: 'triage' };
  await store.saveContext(ref, { knowledge: [{ namespace: 'policies', source: 'refunds.md', title: 'Refunds', text: 'Refund orders that never arrived.' }] });
  await store.append(ref, { seq: 1, turn: 1, message: { role: 'user', content: [{ text: 'Ticket: <b>my order never came</b>' }] } });
  await store.append(ref, {
    seq: 2,
    turn: 1,
    message: {
      role: 'assistant',
      content: [{ text: 'I will look the order up.' }, { toolUse: { toolUseId: 'tu-0', name: 'orders_lookup', input: { orderId: 'KC-10482' } } }],
    },
  });
  await store.append(ref, {
    seq: 3,
    turn: 2,
    message: { role: 'user', content: [{ toolResult: { toolUseId: 'tu-0', content: [{ json: { status: 'lost' } }], status: 'success' } }] },
  });
  await store.append(ref, {
    seq: 4,
    turn: 2,
    message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu-1', name: 'refunds_issue', input: { orderId: 'KC-10482', amount: 64 } } }] },
  });
  await store.append(ref, {
    seq: 5,
    turn: 3,
    message: { role: 'user', content: [{ toolResult: { toolUseId: 'tu-1', content: [{ text: 'refunded' }], status: 'success' } }] },
  });
  await store.append(ref, { seq: 6, turn: 3, message: { role: 'assistant', content: [{ text: '{"resolution":"<script>refunded</script>"}' }] } });
}

async function auditRun(h: ReturnType<typeof consoleHarness>, approvalId: string): Promise<void> {
  const a = h.deps.audit;
  for (const turn of [1, 2, 3])
    await a.append('run-1', 'model.called', { agentId: 'triage', model: 'm', turn, inputTokens: 100 * turn, outputTokens: 10, costUsd: 0.001 * turn });
  // A re-ask in turn 3: two model calls.
  await a.append('run-1', 'model.called', { agentId: 'triage', model: 'm', turn: 3, inputTokens: 50, outputTokens: 5, costUsd: 0.0005 });
  await a.append('run-1', 'rights.evaluated', {
    tool: 'orders.lookup',
    agentId: 'triage',
    toolUseId: 'tu-0',
    decision: 'allow',
    ruleId: 'reads-are-free',
    reason: 'reading is allowed',
    inputDigest: 'd0',
  });
  await a.append('run-1', 'rights.evaluated', {
    tool: 'refunds.issue',
    agentId: 'triage',
    toolUseId: 'tu-1',
    decision: 'approve',
    ruleId: 'medium-refunds',
    reason: 'refunds from $50 need the support lead',
    inputDigest: 'd1',
  });
  await a.append('run-1', 'approval.decided', { approvalId, by: 'sam', decision: 'approve', via: 'console', outcome: 'approved', comment: 'ok' });
  await a.append('run-1', 'tool.ran', { tool: 'refunds.issue', toolUseId: 'tu-1', status: 'ok', approvalId });
}

describe('run conversation', () => {
  test('turns in order with tokens and cost, each call with its rule and who approved, results and the final answer', async () => {
    const h = consoleHarness();
    const approvalId = await pendingRefund(h);
    await storeConversation(h);
    await auditRun(h, approvalId);
    const [c] = buildConversations({
      workflowId: 'support-desk',
      conversations: await new ConversationStore(h.state).ofRun('run-1'),
      audit: await h.deps.audit.records('run-1'),
      agents: [AGENT],
      toolIdOf: toolNameMap(['orders.lookup', 'refunds.issue']).toToolId,
    });
    expect(c.agentId).toBe('triage');
    expect(c.systemPrompt).toContain('You triage support tickets');
    expect(c.systemPrompt).toContain('Refund orders that never arrived.');
    expect(c.turns.map((t) => [t.turn, t.inputTokens, t.modelCalls])).toEqual([
      [1, 100, 1],
      [2, 200, 1],
      [3, 350, 2],
    ]);
    expect(c.totals.costUsd).toBeCloseTo(0.0065);
    const calls = c.turns.flatMap((t) => t.entries).filter((e) => e.kind === 'tool_call');
    expect(calls.map((e) => e.kind === 'tool_call' && [e.tool, e.rights?.decision, e.rights?.ruleId])).toEqual([
      ['orders.lookup', 'allow', 'reads-are-free'],
      ['refunds.issue', 'approve', 'medium-refunds'],
    ]);
    const refund = calls[1].kind === 'tool_call' ? calls[1].rights! : undefined;
    expect(refund?.votes).toEqual([expect.objectContaining({ by: 'sam', vote: 'approve', via: 'console', comment: 'ok' })]);
    expect(refund?.approval).toBe('approved');
    expect(c.turns[1].entries[0]).toEqual({ kind: 'tool_result', toolUseId: 'tu-0', status: 'success', text: '{\n  "status": "lost"\n}' });
    expect(c.finalAnswer).toBe('{"resolution":"<script>refunded</script>"}');

    const text = renderConversations([c]).join('\n');
    expect(text).toContain('calls refunds.issue [tu-1]');
    expect(text).toContain('rights: asked a person by rule medium-refunds (refunds from $50 need the support lead); approved by sam (console): "ok"');
    expect(text).toContain('-- turn 3: 350 in / 15 out tokens, $0.0035 (2 model calls)');
  });

  test('the run page shows the conversation escaped, with the rule of each call and who approved', async () => {
    const h = consoleHarness();
    const approvalId = await pendingRefund(h);
    await storeConversation(h);
    await auditRun(h, approvalId);
    h.executions.add('run-1', 'support-desk', 'SUCCEEDED', T0);
    h.deps.definition.promptAgents = [AGENT];
    h.deps.definition.toolIds = ['orders.lookup', 'refunds.issue'];
    const maya = await signIn(h, 'maya@kestrel.example');
    const res = await maya.get('/console/runs/run-1');
    expect(res.status).toBe(200);
    const section = /<section class="card conversation"[\s\S]*?<\/section>/.exec(res.html)![0];
    expect(section).toContain('&lt;b&gt;my order never came&lt;/b&gt;');
    expect(section).not.toContain('<script>');
    expect(section).toContain('&lt;script&gt;refunded&lt;/script&gt;');
    expect(section).toMatch(/data-tool-use="tu-1"[\s\S]*rule <strong class="rule">medium-refunds<\/strong>[\s\S]*approved by Sam Ortiz \(console\)/);
    expect(section).toMatch(/data-tool-use="tu-0"[\s\S]*rule <strong class="rule">reads-are-free<\/strong>/);
    expect(section).toContain('You triage support tickets for Kestrel Coffee.');
  });
});
