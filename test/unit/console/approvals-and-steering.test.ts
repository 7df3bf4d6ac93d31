/**
 * Deciding in the console goes through the approval service (same checks,
 * same records, channel `console`, one resume); steering changes are kept,
 * switch the triggers, and are audited with who and why; a suspended agent
 * is refused by the tool gate and by the agent step.
 */
import { decide } from '../../../shared/approvals';
import { AgentSuspendedError } from '../../../shared/agents/errors';
import { agentSuspensions } from '../../../shared/console/controls';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { gateToolCall } from '../../../functions/tool-gate/gate';
import { handleAgentStep } from '../../../functions/agent-step/agent-step-handler';
import { consoleHarness, csrfOf, pendingRefund, signIn } from './console-harness';

describe('approvals in the console', () => {
  test('the approver sees the sentence for people, the rule, and approves once: recorded via console, resumed once', async () => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    await h.deps.audit.append('run-1', 'rights.evaluated', {
      tool: 'refunds.issue',
      agentId: 'triage',
      toolUseId: 'tu-1',
      decision: 'approve',
      ruleId: 'medium-refunds',
      reason: 'needs approval',
      inputDigest: 'x',
    });
    const id = await pendingRefund(h);
    const sam = await signIn(h, 'sam@kestrel.example');
    const home = await sam.get('/console');
    expect(home.html).toContain('Refund $64.00 on order KC-10482');
    expect(home.html).toContain('The order never arrived.');
    const page = await sam.get(`/console/approvals/${id}`);
    expect(page.html).toContain('<p class="action">Refund $64.00 on order KC-10482</p>');
    expect(page.html).toContain('Rule <strong>medium-refunds</strong>: Refunds from $50 to $500 need the support lead.');
    const done = await sam.post(`/console/approvals/${id}`, { csrf: csrfOf(page.html), decision: 'approve', comment: 'fine' });
    expect(done.status).toBe(303);
    expect((await h.approvalDeps.store.get(id))!.status).toBe('approved');
    expect(h.resumed).toHaveLength(1);
    expect(h.resumed[0].output).toMatchObject({ approved: true, decidedBy: ['sam'], comments: [{ by: 'sam', text: 'fine' }] });
    const decided = (await h.deps.audit.records('run-1')).find((r) => r.kind === 'approval.decided')!;
    expect(decided.data).toMatchObject({ by: 'sam', decision: 'approve', via: 'console', outcome: 'approved' });
    // A second press (double submit) changes nothing.
    const again = await sam.post(`/console/approvals/${id}`, { csrf: csrfOf(page.html), decision: 'approve' });
    expect(again.status).toBe(409);
    expect(h.resumed).toHaveLength(1);
  });

  test('a form naming its decision twice is refused, whichever comes last, and decides nothing', async () => {
    const h = consoleHarness();
    const id = await pendingRefund(h);
    const sam = await signIn(h, 'sam@kestrel.example');
    const page = await sam.get(`/console/approvals/${id}`);
    for (const order of [
      ['approve', 'reject'],
      ['reject', 'approve'],
    ]) {
      const form = new URLSearchParams({ csrf: csrfOf(page.html) });
      for (const decision of order) form.append('decision', decision);
      const twice = await sam.post(`/console/approvals/${id}`, form);
      expect(twice.status).toBe(400);
      expect(twice.html).toContain('Nothing was changed.');
    }
    expect((await h.approvalDeps.store.get(id))!.status).toBe('pending');
    expect(h.resumed).toHaveLength(0);
  });

  test('a partly met quorum shows who has decided already', async () => {
    const h = consoleHarness();
    const id = await pendingRefund(h, { approvers: ['sam', 'priya'], quorum: 2 });
    await decide(h.approvalDeps, { approvalId: id, approver: 'priya', vote: 'approve', comment: 'ok by finance', via: 'web' });
    const sam = await signIn(h, 'sam@kestrel.example');
    const page = await sam.get(`/console/approvals/${id}`);
    expect(page.html).toContain('<strong>1 of 2</strong> approvals needed so far');
    expect(page.html).toContain('<strong>Priya Natarajan</strong> approved at 2026-12-06 10:00 UTC (by email link): “ok by finance”');
    const r = await sam.post(`/console/approvals/${id}`, { csrf: csrfOf(page.html), decision: 'reject', comment: 'amount looks wrong' });
    expect(r.status).toBe(303);
    expect((await h.approvalDeps.store.get(id))!.status).toBe('rejected');
    expect(h.resumed[0].output).toMatchObject({ approved: false, comments: [{ by: 'priya' }, { by: 'sam', text: 'amount looks wrong' }] });
  });

  test('past the deadline the console refuses the decision like the email link does', async () => {
    const h = consoleHarness();
    const id = await pendingRefund(h, { timeoutSeconds: 60 });
    const sam = await signIn(h, 'sam@kestrel.example');
    const page = await sam.get(`/console/approvals/${id}`);
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    const late = await sam.post(`/console/approvals/${id}`, { csrf: csrfOf(page.html), decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.html).toContain('The time to decide this request has passed');
    expect(h.resumed).toEqual([]);
  });
});

describe('steering', () => {
  test('pause and resume a workflow: triggers switched, state shown on the home page, audited with who and why', async () => {
    const h = consoleHarness();
    const maya = await signIn(h, 'maya@kestrel.example');
    const home = await maya.get('/console');
    expect((await maya.post('/console/workflows/support-desk/pause', { csrf: csrfOf(home.html), why: 'refund storm' })).status).toBe(303);
    expect(h.switched).toEqual([{ workflowId: 'support-desk', on: false }]);
    const paused = await maya.get('/console');
    expect(paused.html).toMatch(/support-desk.*paused.*by Maya Chen at 2026-12-06 10:00 UTC \(“refund storm”\)/s);
    expect(paused.html).toContain('/console/workflows/support-desk/resume');
    await maya.post('/console/workflows/support-desk/resume', { csrf: csrfOf(home.html) });
    expect(h.switched).toEqual([
      { workflowId: 'support-desk', on: false },
      { workflowId: 'support-desk', on: true },
    ]);
    expect(await h.state.scan({ pkPrefix: 'control#' })).toEqual([]);
    const changes = (await h.deps.audit.records('console-2026-12-06')).filter((r) => r.kind === 'control.changed').map((r) => r.data);
    expect(changes).toEqual([
      expect.objectContaining({
        by: 'maya',
        target: 'workflow',
        id: 'support-desk',
        state: 'paused',
        why: 'refund storm',
        triggers: ['rule aios-wf-support-desk-0'],
      }),
      expect.objectContaining({ by: 'maya', target: 'workflow', id: 'support-desk', state: 'resumed' }),
    ]);
    expect((await maya.post('/console/workflows/nope/pause', { csrf: csrfOf(home.html) })).status).toBe(404);
  });

  test('a suspended agent: the gate denies every call before any rule, the agent step refuses to call the model', async () => {
    const h = consoleHarness();
    const maya = await signIn(h, 'maya@kestrel.example');
    const home = await maya.get('/console');
    await maya.post('/console/agents/triage/suspend', { csrf: csrfOf(home.html), why: 'wrong refunds' });
    const suspensions = agentSuspensions(h.deps.controls);
    const decision = await gateToolCall(
      {
        rules: [{ id: 'all', tool: '*', decision: 'allow' } as never],
        people: [],
        tools: [{ id: 'refunds.issue', sideEffect: 'external' }],
        agents: [{ id: 'triage', tools: ['refunds.issue'] }],
        counters: new LimitCounters(h.state),
        audit: h.deps.audit,
        suspensions,
      },
      {
        runId: 'run-9',
        workflowId: 'support-desk',
        stepId: 'triage',
        agentId: 'triage',
        call: { toolUseId: 'tu-9', name: 'refunds.issue', input: { amount: 1 } },
      },
    );
    expect(decision).toMatchObject({ decision: 'deny', ruleId: null, reason: 'agent "triage" is suspended by Maya Chen: wrong refunds' });
    const converse = jest.fn();
    await expect(
      handleAgentStep(
        { agentId: 'triage' },
        { os: { agents: [{ id: 'triage', tools: [] }], tools: [], prices: {} } as never, state: h.state, converse, suspensions },
      ),
    ).rejects.toBeInstanceOf(AgentSuspendedError);
    expect(converse).not.toHaveBeenCalled();
    // Resumed: the gate goes back to the rules.
    await maya.post('/console/agents/triage/resume', { csrf: csrfOf(home.html) });
    expect(await suspensions.suspension('triage')).toBeUndefined();
  });

  test('stop a run: StopExecution with who, its pending approvals closed, audited in the run', async () => {
    const h = consoleHarness();
    h.executions.add('run-1', 'support-desk', 'RUNNING', new Date('2026-12-06T09:00:00Z'));
    const id = await pendingRefund(h);
    const maya = await signIn(h, 'maya@kestrel.example');
    const page = await maya.get('/console/runs/run-1');
    expect(page.html).toContain('Stop this run');
    expect(page.html).toContain('<body data-refresh="5">');
    const r = await maya.post('/console/runs/run-1/stop', { csrf: csrfOf(page.html), why: 'duplicate ticket' });
    expect(r.status).toBe(303);
    expect(h.executions.stopped).toEqual([
      { arn: expect.stringContaining(':execution:support-desk:run-1'), cause: 'stopped in the console by Maya Chen: duplicate ticket' },
    ]);
    expect((await h.approvalDeps.store.get(id))!.status).toBe('rejected');
    const stopped = (await h.deps.audit.records('run-1')).find((x) => x.kind === 'control.changed')!;
    expect(stopped.data).toMatchObject({ by: 'maya', target: 'run', state: 'stopped', why: 'duplicate ticket', closedApprovals: [id] });
    expect((await maya.post('/console/runs/run-1/stop', { csrf: csrfOf(page.html) })).status).toBe(409);
  });
});
