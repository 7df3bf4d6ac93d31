/**
 * The compiled example run end to end in aws-local-stepfunctions (an
 * interpreter we did not write), every Task overridden by test handlers,
 * along each path of decision rights and approvals.
 */
import { runInAls, TaskError, type FunctionHandler, type HarnessRun } from '../../support/als-harness';
import { compiled, withSampleArns } from '../../support/compiled-example';

const supportDesk = withSampleArns(compiled.get('support-desk')!);
const salesFollowUp = withSampleArns(compiled.get('sales-follow-up')!);

const ticket = { source: 'saas.zendesk', 'detail-type': 'zen:event-type:ticket.created', detail: { ticketId: '4411', subject: 'Grinder arrived broken' } };
const lead = { source: 'saas.hubspot', 'detail-type': 'contact.creation', detail: { objectId: '901', email: 'ops@brightoffice.example' } };

const finalAnswer = { category: 'refund', summary: 'Refunded the broken grinder', replied: true, refundUsd: 120, needsHuman: false };
const refundCall = {
  toolUseId: 'tu-1',
  name: 'refunds.issue',
  input: { orderId: 'KC-10442', amount: 120, currency: 'USD', reason: 'arrived broken' },
  reason: 'policy 3.2',
};

type Gate = Record<string, unknown>;
const allow: Gate = { decision: 'allow', ruleId: 'small-refunds', reason: 'within $50', inputDigest: 'd1', approval: null };
const deny: Gate = { decision: 'deny', ruleId: 'no-huge-refunds', reason: 'Refunds over $2,000 are handled by the owner.', inputDigest: 'd1', approval: null };
const approve = (onTimeout: 'reject' | 'escalate'): Gate => ({
  decision: 'approve',
  ruleId: 'large-refunds',
  reason: 'needs finance',
  inputDigest: 'd1',
  approval: {
    approvers: ['priya'],
    quorum: 1,
    timeoutSeconds: 86400,
    onTimeout,
    escalation: onTimeout === 'escalate' ? { approvers: ['maya'], quorum: 1, timeoutSeconds: 86400 } : null,
  },
});

const decided = (approved: boolean, by: string) => ({ approved, approvalId: 'ap-1', decidedBy: [by], comments: [], decidedAt: '2026-11-24T10:05:00Z' });
const expired: unknown[] = [];
/** An approval task that hits its deadline; the later `expire` call records it. */
const timedOut = (p: Record<string, unknown>) => {
  if (p.action === 'expire') {
    expired.push(p);
    return { expired: true, approvalId: 'ap-1' };
  }
  throw new TaskError('States.Timeout', 'approval deadline passed');
};

/** An agent that asks for the refund once, then answers. Records what it was told about the call. */
function refundAgent(seen: unknown[][]): FunctionHandler {
  return (p) => {
    seen.push(p.outcomes as unknown[]);
    return p.turn === 0
      ? { status: 'tool_use', turn: 1, toolCalls: [refundCall], output: null }
      : { status: 'done', turn: (p.turn as number) + 1, toolCalls: [], output: finalAnswer };
  };
}

function baseHandlers(overrides: Record<string, FunctionHandler>): Record<string, FunctionHandler> {
  return {
    'aios-emit-event': () => ({ eventId: 'ev-1', duplicateOf: null }),
    'aios-tool-refunds-issue': (p) => ({ toolUseId: (p.call as { toolUseId: string }).toolUseId, status: 'ran', message: 'refund re_1 issued' }),
    'aios-tool-email-send': (p) => ({ toolUseId: (p.call as { toolUseId: string }).toolUseId, status: 'ran', message: 'sent' }),
    'aios-tool-crm-note': (p) => ({ toolUseId: (p.call as { toolUseId: string }).toolUseId, status: 'ran', message: 'noted' }),
    ...overrides,
  };
}

const called = (run: HarnessRun, fn: string) => run.calls.filter((c) => c.fn === fn);
const announced = (run: HarnessRun) => called(run, 'aios-emit-event').map((c) => c.payload.detailType);

describe('support desk: the agent loop along every decision path', () => {
  async function run(gate: Gate, approval?: FunctionHandler, tool?: FunctionHandler) {
    const seen: unknown[][] = [];
    const result = await runInAls(
      supportDesk,
      ticket,
      baseHandlers({
        'aios-agent-step': refundAgent(seen),
        'aios-tool-gate': () => gate,
        ...(approval ? { 'aios-approval-request': approval } : {}),
        ...(tool ? { 'aios-tool-refunds-issue': tool } : {}),
      }),
    );
    return { result, seen };
  }

  test('allowed: the refund runs once without approval and the run succeeds', async () => {
    const { result, seen } = await run(allow);
    expect(result.error).toBeUndefined();
    expect(called(result, 'aios-approval-request')).toHaveLength(0);
    expect(called(result, 'aios-tool-refunds-issue')).toHaveLength(1);
    expect(called(result, 'aios-tool-refunds-issue')[0].payload).toMatchObject({ idempotencyKey: 'run-1:tu-1', approval: null, inputDigest: 'd1' });
    expect(seen[1]).toEqual([{ toolUseId: 'tu-1', status: 'ran', message: 'refund re_1 issued' }]);
    expect(result.output).toMatchObject({ triage: finalAnswer, announceTriaged: { eventId: 'ev-1' } });
    expect(announced(result)).toEqual(['aios.run.started', 'support.ticket.triaged', 'aios.run.succeeded']);
  });

  test('approved: one approval request to finance, then the refund runs with the approval', async () => {
    const { result } = await run(approve('reject'), () => decided(true, 'priya'));
    expect(called(result, 'aios-approval-request').map((c) => c.payload)).toEqual([
      expect.objectContaining({
        taskToken: 'token-1',
        stage: 'primary',
        approvers: ['priya'],
        quorum: 1,
        timeoutSeconds: 86400,
        inputDigest: 'd1',
        call: refundCall,
      }),
    ]);
    expect(called(result, 'aios-tool-refunds-issue')[0].payload.approval).toMatchObject({ approved: true, approvalId: 'ap-1' });
    expect(result.error).toBeUndefined();
  });

  test('rejected: the refund does not run and the agent is told', async () => {
    const { result, seen } = await run(approve('reject'), () => decided(false, 'priya'));
    expect(called(result, 'aios-tool-refunds-issue')).toHaveLength(0);
    expect(seen[1]).toEqual([expect.objectContaining({ toolUseId: 'tu-1', status: 'rejected' })]);
    expect(result.error).toBeUndefined();
  });

  test('approval timed out with escalation: the owner is asked and approves', async () => {
    const { result } = await run(approve('escalate'), (p) => (p.stage === 'primary' ? timedOut(p) : decided(true, 'maya')));
    expect(called(result, 'aios-approval-request').map((c) => [c.payload.stage, c.payload.approvers])).toEqual([
      ['primary', ['priya']],
      ['escalation', ['maya']],
    ]);
    expect(called(result, 'aios-tool-refunds-issue')).toHaveLength(1);
  });

  test('approval timed out twice: escalated, then rejected by the deadline', async () => {
    const { result, seen } = await run(approve('escalate'), timedOut);
    expect(called(result, 'aios-approval-request').map((c) => c.payload.stage ?? c.payload.action)).toEqual(['primary', 'escalation', 'expire']);
    expect(called(result, 'aios-tool-refunds-issue')).toHaveLength(0);
    expect(seen[1]).toEqual([expect.objectContaining({ status: 'timed_out' })]);
  });

  test('approval timed out with onTimeout reject: no escalation, not run', async () => {
    const { result, seen } = await run(approve('reject'), timedOut);
    expect(called(result, 'aios-approval-request').map((c) => c.payload)).toEqual([
      expect.objectContaining({ stage: 'primary' }),
      { action: 'expire', runId: 'run-1', stepId: 'triage', toolUseId: 'tu-1' },
    ]);
    expect(called(result, 'aios-tool-refunds-issue')).toHaveLength(0);
    expect(seen[1]).toEqual([expect.objectContaining({ status: 'timed_out' })]);
  });

  test('denied: no approval request, no tool run, the reason reaches the agent', async () => {
    const { result, seen } = await run(deny);
    expect(called(result, 'aios-approval-request')).toHaveLength(0);
    expect(called(result, 'aios-tool-refunds-issue')).toHaveLength(0);
    expect(seen[1]).toEqual([
      { toolUseId: 'tu-1', status: 'denied', message: 'Not allowed by the decision rights: Refunds over $2,000 are handled by the owner.' },
    ]);
  });

  test('a failing tool becomes an error outcome for the agent; the run goes on', async () => {
    const { result, seen } = await run(allow, undefined, () => {
      throw new TaskError('Tool.BusinessApiFailed', 'refunds answered 502');
    });
    expect(seen[1]).toEqual([expect.objectContaining({ toolUseId: 'tu-1', status: 'error' })]);
    expect(result.error).toBeUndefined();
  });

  test('max turns reached: the run fails with Agent.MaxTurnsReached and announces it', async () => {
    let thinks = 0;
    const result = await runInAls(
      supportDesk,
      ticket,
      baseHandlers({
        'aios-agent-step': (p) => {
          thinks++;
          return { status: 'tool_use', turn: (p.turn as number) + 1, toolCalls: [{ ...refundCall, toolUseId: `tu-${thinks}` }], output: null };
        },
        'aios-tool-gate': () => allow,
      }),
    );
    expect(thinks).toBe(8);
    expect(result.error?.cause).toMatch(/Agent.MaxTurnsReached|used all 8 turns/);
    expect(announced(result)).toEqual(['aios.run.started', 'aios.run.failed']);
    expect(called(result, 'aios-emit-event')[1].payload.detail).toMatchObject({ error: 'Agent.MaxTurnsReached' });
  });
});

describe('sales follow-up: an approval step before the email', () => {
  const research = () => ({
    status: 'done',
    turn: 1,
    toolCalls: [],
    output: { to: 'ops@brightoffice.example', subject: 'Coffee for Bright Office', body: 'x'.repeat(60), fit: 'office' },
  });

  async function run(approval: FunctionHandler) {
    return runInAls(salesFollowUp, lead, baseHandlers({ 'aios-agent-step': research, 'aios-tool-gate': () => allow, 'aios-approval-request': approval }));
  }

  test('approved: the email is sent and the CRM noted', async () => {
    const result = await run(() => decided(true, 'leo'));
    expect(result.error).toBeUndefined();
    expect(called(result, 'aios-approval-request')[0].payload).toMatchObject({
      stage: 'primary',
      approvers: ['leo'],
      timeoutSeconds: 172800,
      subject: 'Send this outreach email to a new lead?',
      details: { to: 'ops@brightoffice.example', fit: 'office' },
    });
    expect(called(result, 'aios-tool-email-send')[0].payload.call).toMatchObject({
      name: 'email.send',
      input: { to: 'ops@brightoffice.example', subject: 'Coffee for Bright Office' },
    });
    expect(called(result, 'aios-tool-crm-note').map((c) => (c.payload.call as { toolUseId: string }).toolUseId)).toEqual(['noteSent']);
  });

  test('rejected: no email; the CRM notes the decline', async () => {
    const result = await run(() => decided(false, 'leo'));
    expect(called(result, 'aios-tool-email-send')).toHaveLength(0);
    expect(called(result, 'aios-tool-crm-note').map((c) => (c.payload.call as { toolUseId: string }).toolUseId)).toEqual(['noteDeclined']);
    expect(result.error).toBeUndefined();
  });

  test('timed out: escalated to the owner, who approves', async () => {
    const result = await run((p) => (p.stage === 'primary' ? timedOut(p) : decided(true, 'maya')));
    expect(called(result, 'aios-approval-request').map((c) => [c.payload.stage, c.payload.approvers, c.payload.timeoutSeconds])).toEqual([
      ['primary', ['leo'], 172800],
      ['escalation', ['maya'], 86400],
    ]);
    expect(called(result, 'aios-tool-email-send')).toHaveLength(1);
  });

  test('a denied email fails the run with Tool.NotCarriedOut', async () => {
    const result = await runInAls(
      salesFollowUp,
      lead,
      baseHandlers({ 'aios-agent-step': research, 'aios-tool-gate': () => deny, 'aios-approval-request': () => decided(true, 'leo') }),
    );
    expect(result.error?.cause).toMatch(/Tool.NotCarriedOut|denied, rejected/);
    expect(announced(result)).toContain('aios.run.failed');
  });
});
