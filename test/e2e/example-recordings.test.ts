/**
 * The example's shipped recordings (examples/kestrel-coffee/recordings/) drive the example's own
 * agents from the sample events to a valid final output: every tool call the
 * replayed model makes validates against the real tool's schema, and each
 * outcome branch (the refund ran, or was not run) ends in a valid output.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { handleAgentStep } from '../../functions/agent-step/agent-step-handler';
import { agentStepDefinitionOf } from '../../functions/agent-step/whole-definition';
import { currentOs } from '../../functions/current-os';
import { createReplayProvider } from '../../local/bedrock/providers/replay-provider';
import { loadRecordings } from '../../local/bedrock/recordings';
import type { ToolCall, ToolOutcome } from '../../shared/agents/step-contract';
import { MemoryTable } from '../../shared/storage/memory-table';
import { safeParse } from 'zod/mini';

const dir = path.join(__dirname, '..', '..', 'examples', 'kestrel-coffee', 'recordings');
const sample = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'events', 'samples', name), 'utf8'));

interface Scenario {
  workflowId: string;
  agentId: string;
  task: string;
  input: unknown;
}

const scenarios: Record<string, Scenario> = {
  zendesk: {
    workflowId: 'support-desk',
    agentId: 'triage',
    task: 'A customer needs help. Triage this and act within policy.',
    input: { source: 'saas.zendesk', kind: 'zen:event-type:ticket.created', details: sample('zendesk.ticket-created.json') },
  },
  stripe: {
    workflowId: 'support-desk',
    agentId: 'triage',
    task: 'A customer needs help. Triage this and act within policy.',
    input: { source: 'saas.stripe', kind: 'charge.dispute.created', details: sample('stripe.charge.dispute.created.json') },
  },
  hubspot: {
    workflowId: 'sales-follow-up',
    agentId: 'research',
    task: 'A new lead arrived. Research them and draft the outreach email.',
    input: { lead: (sample('hubspot.contact.creation.json') as unknown[])[0] },
  },
};

/** Runs the agent loop as the compiled state machine would, deciding each call with `decide`. */
async function run(s: Scenario, decide: (call: ToolCall) => ToolOutcome['status']) {
  const os = currentOs();
  const env = { os: agentStepDefinitionOf(os), state: new MemoryTable('state'), converse: createReplayProvider({ dir }).converse };
  const calls: ToolCall[] = [];
  let turn = 0;
  let outcomes: ToolOutcome[] = [];
  for (;;) {
    const out = await handleAgentStep(
      { runId: `run-${s.workflowId}`, workflowId: s.workflowId, stepId: s.agentId, agentId: s.agentId, task: s.task, input: s.input, turn, outcomes },
      env,
    );
    turn = out.turn;
    if (out.status === 'done') return { output: out.output, calls };
    outcomes = out.toolCalls.map((call) => {
      calls.push(call);
      const tool = os.tools.find((t) => t.id === call.name)!;
      expect(safeParse(tool.input, call.input).error).toBeUndefined();
      const status = decide(call);
      return { toolUseId: call.toolUseId, status, message: status === 'ran' ? `${call.name} done` : 'the approver rejected it' };
    });
  }
}

it('all shipped recordings are valid', () => {
  expect(loadRecordings(dir).length).toBeGreaterThanOrEqual(3);
});

it('support desk, Zendesk ticket: searches, refunds $39, replies, summarises', async () => {
  const { output, calls } = await run(scenarios.zendesk, () => 'ran');
  expect(calls.map((c) => c.name)).toStrictEqual(['knowledge.search', 'refunds.issue', 'tickets.reply']);
  expect(calls[1].input).toMatchObject({ orderId: 'KC-10482', amount: 39 });
  expect((calls[2].input as { body: string }).body).toContain('refunded $39.00');
  expect(output).toMatchObject({ category: 'shipping', replied: true, refundUsd: 39 });
});

it('support desk, Zendesk ticket: a refund that is not run is not promised', async () => {
  const { output, calls } = await run(scenarios.zendesk, (c) => (c.name === 'refunds.issue' ? 'rejected' : 'ran'));
  expect((calls[2].input as { body: string }).body).toContain("I've asked our team to process");
  expect(output).toMatchObject({ replied: true, refundUsd: null, needsHuman: true });
});

it('support desk, Stripe dispute: proposes the full $64 refund', async () => {
  const { output, calls } = await run(scenarios.stripe, () => 'ran');
  expect(calls.map((c) => [c.name, (c.input as { amount?: number }).amount])).toStrictEqual([
    ['knowledge.search', undefined],
    ['refunds.issue', 64],
  ]);
  expect(output).toMatchObject({ category: 'dispute', refundUsd: 64 });
  expect((await run(scenarios.stripe, (c) => (c.name === 'refunds.issue' ? 'timed_out' : 'ran'))).output).toMatchObject({ refundUsd: null });
});

it('sales follow-up: notes the lead and drafts an outreach email', async () => {
  const { output, calls } = await run(scenarios.hubspot, () => 'ran');
  expect(calls.map((c) => c.name)).toStrictEqual(['knowledge.search', 'crm.note']);
  expect(output).toMatchObject({ to: expect.stringContaining('@'), fit: 'unclear' });
});
