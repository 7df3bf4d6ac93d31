import { z } from 'zod';
import { ApprovalStore } from '../../../shared/approvals/approval-store';
import type { Approval } from '../../../shared/approvals/approval';
import { AuditLog } from '../../../shared/audit/audit-log';
import type { Agent } from '../../../shared/definition/agent';
import { toolSchema, type Tool, type ToolContext, type ToolPorts } from '../../../shared/definition/tool';
import { inputDigest } from '../../../shared/rights/input-digest';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { MESSAGE_LIMIT, runTool, STORED_RESULT_LIMIT } from '../../../shared/tools/run-tool';
import { emailSend } from '../../../shared/tools/builtins/email-send';
import { eventsEmit } from '../../../shared/tools/builtins/events-emit';
import { knowledgeRemember } from '../../../shared/tools/builtins/knowledge';
import { KnowledgeStore } from '../../../shared/knowledge/store';
import { RecordingPublisher } from '../../../shared/webhooks/event-publisher';
import { anApproval } from '../../support/approval';

/** In-memory adapters of the tool ports: what was sent and published is kept. */
function memoryPorts() {
  const sent: Parameters<ToolPorts['sendEmail']>[0][] = [];
  const publisher = new RecordingPublisher();
  const knowledge = new KnowledgeStore({ table: new MemoryTable('knowledge') });
  const ports: ToolPorts = { sendEmail: async (email) => (sent.push(email), { messageId: `m-${sent.length}` }), publisher, knowledge };
  return { ports, sent, publisher, knowledge };
}

function setup(options: { idempotent?: boolean; fail?: boolean; big?: boolean; huge?: boolean } = {}) {
  const calls: { input: unknown; ctx: ToolContext }[] = [];
  const tool: Tool = toolSchema.parse({
    id: 'refunds.issue',
    description: 'Issue a refund to a customer',
    input: z.strictObject({ orderId: z.string(), amount: z.number().positive() }),
    sideEffect: 'external',
    idempotent: options.idempotent ?? true,
    handler: async (input: unknown, ctx: ToolContext) => {
      calls.push({ input, ctx });
      if (options.fail) throw new Error('payment provider answered 502');
      if (options.huge) return { blob: 'y'.repeat(STORED_RESULT_LIMIT + 10) };
      return options.big ? { blob: 'x'.repeat(MESSAGE_LIMIT * 3) } : { refundId: 're_1' };
    },
  });
  const agents = [{ id: 'triage', knowledge: ['support'] } as unknown as Agent];
  const state = new MemoryTable('state');
  const auditTable = new MemoryTable('audit');
  const approvals = new ApprovalStore(state);
  const audit = new AuditLog(auditTable, () => new Date(), { key: async () => 'tool-test-audit-key' });
  const deps = { tool, agents, state, approvals, audit, env: {}, ports: memoryPorts().ports };
  const input = { orderId: 'KC-10442', amount: 120 };
  const event = (over: Record<string, unknown> = {}) => ({
    runId: 'run-1',
    workflowId: 'support-desk',
    stepId: 'triage',
    agentId: 'triage',
    call: { toolUseId: 'tu-1', name: 'refunds.issue', input },
    approval: null,
    inputDigest: inputDigest(input),
    idempotencyKey: 'run-1:tu-1',
    ...over,
  });
  return { deps, calls, event, input, state, approvals, audit };
}

function approvalFor(input: unknown, status: Approval['status'] = 'approved'): Approval {
  return anApproval({
    id: 'ap-1',
    status,
    call: { toolUseId: 'tu-1', name: 'refunds.issue', input },
    action: undefined,
    reason: null,
    inputDigest: inputDigest(input),
    approvers: ['priya'],
    deadline: '2026-11-25T10:00:00Z',
    createdAt: '2026-11-24T10:00:00Z',
    stageStartedAt: '2026-11-24T10:00:00Z',
  });
}

describe('runTool', () => {
  test('runs an allowed call once, stores the result, audits it and passes the agent context', async () => {
    const s = setup();
    const out = await runTool(s.deps, s.event());
    expect(out).toEqual({ toolUseId: 'tu-1', status: 'ran', message: '{"refundId":"re_1"}' });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0].ctx).toMatchObject({ idempotencyKey: 'run-1:tu-1', knowledgeNamespaces: ['support'], agentId: 'triage' });
    expect(await s.state.get({ pk: 'run#run-1', sk: 'tool#tu-1' })).toMatchObject({ status: 'done', result: { refundId: 're_1' } });
    expect((await s.audit.records('run-1')).map((r) => r.kind)).toEqual(['tool.ran']);
  });

  test('a second delivery of the same call does not act again and returns the same outcome', async () => {
    const s = setup();
    const first = await runTool(s.deps, s.event());
    const second = await runTool(s.deps, s.event());
    expect(second).toEqual(first);
    expect(s.calls).toHaveLength(1);
  });

  test('a process that died after recording the result but before auditing it: the retry audits it, once', async () => {
    const { deps, calls, event, audit } = setup();
    let dead = false;
    const dying = {
      ...deps,
      audit: Object.assign(Object.create(audit) as AuditLog, { appendOnce: async () => ((dead = true), Promise.reject(new Error('SIGKILL'))) }),
    };
    await expect(runTool(dying, event())).rejects.toThrow('SIGKILL');
    expect(dead).toBe(true);
    expect(await audit.records('run-1')).toEqual([]);
    const retried = await runTool(deps, event());
    expect(retried.status).toBe('ran');
    await runTool(deps, event());
    expect(calls).toHaveLength(1);
    expect((await audit.records('run-1')).map((r) => [r.kind, r.data.toolUseId])).toEqual([['tool.ran', 'tu-1']]);
  });

  test('invalid input goes back to the model as an error; the handler is not called', async () => {
    const s = setup();
    const bad = { orderId: 'KC-1', amount: -5 };
    const out = await runTool(s.deps, s.event({ call: { toolUseId: 'tu-1', name: 'refunds.issue', input: bad }, inputDigest: inputDigest(bad) }));
    expect(out.status).toBe('error');
    expect(out.message).toMatch(/Invalid input for refunds.issue: amount: /);
    expect(s.calls).toHaveLength(0);
  });

  test('an input other than the one the gate evaluated is refused', async () => {
    const s = setup();
    const out = await runTool(s.deps, s.event({ inputDigest: inputDigest({ orderId: 'KC-10442', amount: 12 }) }));
    expect(out).toMatchObject({ status: 'error', message: expect.stringMatching(/differs from the one the decision rights evaluated/) });
    expect(s.calls).toHaveLength(0);
    expect((await s.audit.records('run-1')).map((r) => r.kind)).toEqual(['tool.refused']);
  });

  test('a call naming another tool is refused', async () => {
    const s = setup();
    const out = await runTool(s.deps, s.event({ call: { toolUseId: 'tu-1', name: 'tickets.reply', input: s.input } }));
    expect(out.status).toBe('error');
    expect(s.calls).toHaveLength(0);
  });

  test('an approved call runs only with an approval that binds exactly this input', async () => {
    const s = setup();
    await s.approvals.create(approvalFor(s.input));
    expect(
      (
        await runTool(
          s.deps,
          s.event({ approval: { approved: true, approvalId: 'ap-1', decidedBy: ['sam'], comments: [], decidedAt: '2026-11-24T10:05:00Z' } }),
        )
      ).status,
    ).toBe('ran');

    const other = setup();
    await other.approvals.create(approvalFor({ orderId: 'KC-10442', amount: 12 }));
    const out = await runTool(
      other.deps,
      other.event({ approval: { approved: true, approvalId: 'ap-1', decidedBy: ['sam'], comments: [], decidedAt: '2026-11-24T10:05:00Z' } }),
    );
    expect(out).toMatchObject({ status: 'error', message: expect.stringMatching(/approval does not cover this call/) });
    expect(other.calls).toHaveLength(0);

    const pending = setup();
    await pending.approvals.create(approvalFor(pending.input, 'pending'));
    expect(
      (
        await runTool(
          pending.deps,
          pending.event({ approval: { approved: true, approvalId: 'ap-1', decidedBy: ['sam'], comments: [], decidedAt: '2026-11-24T10:05:00Z' } }),
        )
      ).status,
    ).toBe('error');
    expect(pending.calls).toHaveLength(0);
  });

  test('a failing handler becomes an error outcome', async () => {
    const s = setup({ fail: true });
    const out = await runTool(s.deps, s.event());
    expect(out).toEqual({ toolUseId: 'tu-1', status: 'error', message: 'refunds.issue failed: payment provider answered 502' });
  });

  test('an interrupted non-idempotent call is not repeated', async () => {
    const s = setup({ idempotent: false });
    await s.state.put({ pk: 'run#run-1', sk: 'tool#tu-1', status: 'started' });
    const out = await runTool(s.deps, s.event());
    expect(out.message).toMatch(/interrupted and this tool is not idempotent/);
    expect(s.calls).toHaveLength(0);
  });

  describe('a non-idempotent tool that marks its effect (email.send): interrupted before it acted, it runs on the retry', () => {
    function marking() {
      const s = setup({ idempotent: false });
      const sent: string[] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => (release = r));
      let attempts = 0;
      s.deps.tool = toolSchema.parse({
        ...s.deps.tool,
        marksEffect: true,
        handler: async (_input: unknown, ctx: ToolContext) => {
          // The first attempt stalls before acting, as one killed mid-way would.
          if (++attempts === 1) await held;
          await ctx.beforeEffect();
          sent.push(`attempt ${attempts}`);
          return { messageId: 'm-1' };
        },
      });
      return { ...s, sent, release: () => release() };
    }

    test('the retry takes the call over and acts once; the stalled attempt, resumed, does not act', async () => {
      const s = marking();
      const first = runTool(s.deps, s.event());
      await new Promise((r) => setTimeout(r, 0));
      const retry = await runTool(s.deps, s.event());
      expect(retry).toMatchObject({ status: 'ran' });
      s.release();
      await expect(first).rejects.toMatchObject({ name: 'Tool.AttemptSuperseded' });
      expect(s.sent).toEqual(['attempt 2']);
      expect(await s.state.get({ pk: 'run#run-1', sk: 'tool#tu-1' })).toMatchObject({ status: 'done', attempt: 2, outcome: { status: 'ran' } });
      expect((await s.audit.records('run-1')).filter((r) => r.kind === 'tool.ran')).toHaveLength(1);
    });

    test('an attempt interrupted after it started acting is refused: the email may have gone out', async () => {
      const s = marking();
      await s.state.put({ pk: 'run#run-1', sk: 'tool#tu-1', status: 'acting', attempt: 1 });
      expect((await runTool(s.deps, s.event())).message).toMatch(/interrupted and this tool is not idempotent/);
      expect(s.sent).toEqual([]);
    });

    test('a record from before attempts were counted is taken over too', async () => {
      const s = marking();
      s.release();
      await s.state.put({ pk: 'run#run-1', sk: 'tool#tu-1', status: 'started' });
      expect((await runTool(s.deps, s.event())).status).toBe('ran');
      expect(s.sent).toHaveLength(1);
    });

    test('email.send marks its effect before it calls SES', async () => {
      expect(emailSend.marksEffect).toBe(true);
      const superseded = Object.assign(new Error('superseded'), { name: 'Tool.AttemptSuperseded' });
      const ctx = { config: {}, env: {}, runId: 'run-1', beforeEffect: async () => Promise.reject(superseded) } as unknown as ToolContext;
      // No endpoint is configured: had it reached SES first, the error would be another.
      await expect(emailSend.handler({ to: 'lead@example.com', subject: 's', body: 'b' }, ctx)).rejects.toBe(superseded);
    });
  });

  test('a large result is bounded in the state and kept whole in the table', async () => {
    const s = setup({ big: true });
    const out = await runTool(s.deps, s.event());
    expect(out.message.length).toBeLessThan(MESSAGE_LIMIT + 100);
    expect(out.message).toMatch(/truncated/);
    const stored = await s.state.get({ pk: 'run#run-1', sk: 'tool#tu-1' });
    expect((stored?.result as { blob: string }).blob).toHaveLength(MESSAGE_LIMIT * 3);
  });

  test('a result too large for a DynamoDB item is stored cut to the limit', async () => {
    const s = setup({ huge: true });
    expect((await runTool(s.deps, s.event())).status).toBe('ran');
    const stored = (await s.state.get({ pk: 'run#run-1', sk: 'tool#tu-1' }))?.result as string;
    expect(typeof stored).toBe('string');
    expect(stored.length).toBeLessThan(STORED_RESULT_LIMIT + 100);
    expect(stored).toMatch(/truncated; \d+ characters in all/);
  });
});

describe('built-in tools act through the ports they are given', () => {
  const base = (tool: Tool, input: unknown, ports: ToolPorts) => {
    const state = new MemoryTable('state');
    const audit = new AuditLog(new MemoryTable('audit'), () => new Date(), { key: async () => 'k' });
    const deps = {
      tool,
      agents: [{ id: 'triage', knowledge: ['support'] } as unknown as Agent],
      state,
      approvals: new ApprovalStore(state),
      audit,
      env: {},
      ports,
    };
    const event = {
      runId: 'run-7',
      workflowId: 'w',
      stepId: 's',
      agentId: 'triage',
      call: { toolUseId: 'tu-9', name: tool.id, input },
      approval: null,
      inputDigest: inputDigest(input),
      idempotencyKey: 'run-7:tu-9',
    };
    return runTool(deps, event);
  };

  test('email.send sends once, from the configured sender, tagged with the run', async () => {
    const { ports, sent } = memoryPorts();
    const tool = toolSchema.parse({ ...emailSend, config: { from: 'desk@kestrel.coffee' } });
    const out = await base(tool, { to: 'ana@example.com', subject: 'Your refund', body: 'Done.' }, ports);
    expect(out.status).toBe('ran');
    expect(sent).toEqual([{ from: 'desk@kestrel.coffee', to: 'ana@example.com', subject: 'Your refund', text: 'Done.', tags: { 'aios-run': 'run-7' } }]);
  });

  test('events.emit publishes on the bus port with the run attached', async () => {
    const { ports, publisher } = memoryPorts();
    const out = await base(toolSchema.parse(eventsEmit), { detailType: 'order.flagged', detail: { orderId: 'KC-1' } }, ports);
    expect(out.status).toBe('ran');
    expect(publisher.events).toMatchObject([
      { source: 'aios.agent', detailType: 'order.flagged', detail: { orderId: 'KC-1', aios: { runId: 'run-7', agentId: 'triage', toolUseId: 'tu-9' } } },
    ]);
  });

  test("knowledge.remember writes into the knowledge port, in the agent's namespace", async () => {
    const { ports, knowledge } = memoryPorts();
    const out = await base(toolSchema.parse(knowledgeRemember), { text: 'Ana prefers oat milk in every order.' }, ports);
    expect(out.status).toBe('ran');
    expect((await knowledge.search({ query: 'oat milk', namespaces: ['support'], limit: 1 }))[0]?.text).toContain('oat milk');
  });
});
