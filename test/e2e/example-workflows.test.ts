/**
 * Every workflow of the example business runs to success on each of its
 * paths, on the whole local runtime: the trigger's sample event on the bus,
 * the recorded model, approvals decided through the approval service (as the
 * page and the CLI do), the business system's stand-in receiving the calls.
 *
 * Paths not covered here: approval timeouts and escalation (hours of
 * deadline; the compiled timeout branches are covered by the compiler's
 * golden files and test/e2e/approvals-email.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { decide } from '../../shared/approvals/approval-service';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { approvalDeps } from '../../shared/composition/approvals';
import type { Approval } from '../../shared/approvals/approval';
import { stateTable } from '../../shared/composition/tables';
import { ROOT, runIdOf, startAgentsRuntime, type AgentsRuntime } from './agents-runtime';

jest.setTimeout(120_000);

const sample = (name: string): unknown => JSON.parse(readFileSync(path.join(ROOT, 'events', 'samples', name), 'utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The shipped recordings, plus one variant of the Zendesk one whose triage
 * finds nothing for a person to do (every shipped triage flags the team), so
 * the support desk's other branch runs too. It answers order KC-20001 only.
 */
function recordingsWithCalmTriage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aios-example-recordings-'));
  const shipped = path.join(ROOT, 'examples', 'kestrel-coffee', 'recordings');
  // Only the shipped recordings: the folder may also hold drafts/ that a run without a recording wrote.
  for (const file of readdirSync(shipped).filter((f) => f.endsWith('.json'))) writeFileSync(path.join(dir, file), readFileSync(path.join(shipped, file)));
  const calm = JSON.parse(
    readFileSync(path.join(shipped, 'support-desk-zendesk-lost-order.json'), 'utf8').replaceAll('\\"needsHuman\\": true', '\\"needsHuman\\": false'),
  );
  calm.match.firstMessageContains = ['KC-20001'];
  writeFileSync(path.join(dir, 'support-desk-zendesk-calm.json'), JSON.stringify(calm));
  return dir;
}

let env: AgentsRuntime;
beforeAll(async () => {
  env = await startAgentsRuntime({ recordingsDir: recordingsWithCalmTriage() });
});
afterAll(async () => {
  await env?.close();
});

/** Puts one event on the bus and returns the execution it started for `workflowId`. */
async function startByEvent(workflowId: string, source: string, detailType: string, detail: unknown): Promise<string> {
  const stateMachineArn = env.rt.installed.stateMachines[workflowId];
  const before = new Set(((await env.aws.sfn().send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? []).map((e) => e.executionArn));
  const put = await env.aws
    .eventBridge()
    .send(new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }] }));
  expect(put.FailedEntryCount ?? 0).toBe(0);
  for (let i = 0; i < 200; i++) {
    const fresh = ((await env.aws.sfn().send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? []).find((e) => !before.has(e.executionArn));
    if (fresh) return fresh.executionArn!;
    await sleep(50);
  }
  throw new Error(`the event started no ${workflowId} run`);
}

async function pendingApproval(runId: string): Promise<Approval> {
  const store = new ApprovalStore(stateTable(env.rt.environment));
  for (let i = 0; i < 400; i++) {
    const found = (await store.list()).find((a) => a.runId === runId && a.status === 'pending');
    if (found) return found;
    await sleep(50);
  }
  throw new Error(`run ${runId} asked for no approval`);
}

/** Decides a run's pending approval with every approver voting `vote`; returns the approval. */
async function decideApproval(runId: string, vote: 'approve' | 'reject'): Promise<Approval> {
  const approval = await pendingApproval(runId);
  const deps = approvalDeps(env.rt.environment, env.rt.os);
  for (const approver of approval.approvers.slice(0, approval.quorum)) {
    const result = await decide(deps, { approvalId: approval.id, approver, vote, via: 'cli' });
    expect(result.kind).toBe('recorded');
  }
  return approval;
}

const hubspotLead = () => (sample('hubspot.contact.creation.json') as Record<string, unknown>[])[0];

describe('sales-follow-up', () => {
  it('approved: the outreach email is sent and the CRM note goes to the HubSpot contact', async () => {
    const arn = await startByEvent('sales-follow-up', 'saas.hubspot', 'contact.creation', hubspotLead());
    const runId = runIdOf(arn);
    const approval = await decideApproval(runId, 'approve');
    expect(approval.stepId).toBe('approveOutreach');
    const done = await env.finished(arn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toMatchObject({ status: 'SUCCEEDED' });
    const calls = await env.businessCalls(runId);
    expect(calls.filter((c) => c.path.endsWith('/notes')).map((c) => c.path)).toContain('/crm/contacts/90412/notes');
    expect(calls.some((c) => c.path.endsWith('/notes') && /sent after approval/.test(String(c.body.body)))).toBe(true);
  });

  it('rejected: no email, the CRM note says it was declined', async () => {
    const outboxBefore = env.outbox().length;
    const arn = await startByEvent('sales-follow-up', 'saas.hubspot', 'contact.creation', { ...hubspotLead(), eventId: 1893457722 });
    const runId = runIdOf(arn);
    await decideApproval(runId, 'reject');
    const done = await env.finished(arn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toMatchObject({ status: 'SUCCEEDED' });
    const notes = (await env.businessCalls(runId)).filter((c) => c.path.endsWith('/notes') && /declined/.test(String(c.body.body)));
    expect(notes.map((c) => c.path)).toStrictEqual(['/crm/contacts/90412/notes']);
    // The only mails since are the approval request itself.
    expect(env.outbox().length - outboxBefore).toBeGreaterThanOrEqual(1);
  });
});

describe('support-desk', () => {
  it('Zendesk ticket, refund allowed by the rules: refunds, replies, flags the team', async () => {
    const arn = await startByEvent('support-desk', 'saas.zendesk', 'zen:event-type:ticket.created', sample('zendesk.ticket-created.json'));
    const done = await env.finished(arn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toMatchObject({ status: 'SUCCEEDED' });
    const calls = await env.businessCalls(runIdOf(arn));
    expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/refunds']));
  });

  for (const vote of ['approve', 'reject'] as const) {
    it(`Stripe dispute, refund needs an approver (${vote === 'approve' ? 'approved' : 'rejected'}): the run ends either way`, async () => {
      const arn = await startByEvent('support-desk', 'saas.stripe', 'charge.dispute.created', {
        ...(sample('stripe.charge.dispute.created.json') as object),
        id: `evt_dispute_${vote}`,
      });
      const runId = runIdOf(arn);
      const approval = await decideApproval(runId, vote);
      expect(approval.call?.name).toBe('refunds.issue');
      const done = await env.finished(arn);
      expect({ status: done.status, error: done.error, cause: done.cause }).toMatchObject({ status: 'SUCCEEDED' });
      const refunds = (await env.businessCalls(runId)).filter((c) => c.path === '/refunds');
      expect(refunds).toHaveLength(vote === 'approve' ? 1 : 0);
    });
  }

  it('Zendesk ticket a person need not see: announced as triaged', async () => {
    const ticket = JSON.parse(JSON.stringify(sample('zendesk.ticket-created.json')).replaceAll('KC-10482', 'KC-20001'));
    const arn = await startByEvent('support-desk', 'saas.zendesk', 'zen:event-type:ticket.created', { ...ticket, id: 'evt-calm' });
    const done = await env.finished(arn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('both ends of the "needs a person?" choice were taken', async () => {
    const types = new Set((await env.publishedEvents()).map((e) => e.DetailType));
    expect(types.has('support.ticket.triaged')).toBe(true);
    expect(types.has('support.ticket.needs-human')).toBe(true);
  });
});

describe('weekly-review', () => {
  it('the scheduled reminder is emitted', async () => {
    const started = await env.aws.sfn().send(
      new StartExecutionCommand({
        stateMachineArn: env.rt.installed.stateMachines['weekly-review'],
        input: JSON.stringify({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: '2026-12-07T14:00:00Z', detail: {} }),
      }),
    );
    const done = await env.finished(started.executionArn!);
    expect({ status: done.status, error: done.error, cause: done.cause }).toMatchObject({ status: 'SUCCEEDED' });
    const reminders = await env.publishedEvents();
    expect(reminders.some((e) => e.DetailType === 'support.weekly-review.due')).toBe(true);
  });
});
