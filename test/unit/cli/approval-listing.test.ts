/**
 * `aios approvals` leads each request with the sentence its approvers were emailed (stored with the request), and
 * shows where it cut the agent's reason. It finds the pending requests through the approvals index, as the console
 * does, not by scanning the whole state table.
 */
import { approvalListing, listedApprovals } from '../../../cli/commands/approvals';
import { decide, requestApproval } from '../../../shared/approvals';
import { anApproval } from '../../support/approval';
import { harness, refundRequest } from '../approvals/fixture';

const approval = anApproval;

const now = new Date('2026-12-06T10:05:00Z');

test('the sentence the email and the page show, not the tool and its fields', () => {
  expect(approvalListing(approval(), now).split('\n')).toEqual([
    'a1  pending',
    '  Refund $64.00 on order KC-10482',
    '  asked by agent triage in run run-1: The order never arrived.',
    '  for sam (1 of 1), since 2026-12-06T10:00:00Z (5m ago), deadline 2026-12-06T14:00:00Z',
    '',
  ]);
});

test('a request stored before the sentence was kept lists the call, by its describe when the tool has one', () => {
  const old = approval({ action: undefined });
  expect(approvalListing(old, now)).toContain('\n  refunds.issue with orderId "KC-10482", amount 64\n');
  expect(approvalListing(old, now, { 'refunds.issue': () => 'Refund it' })).toContain('\n  Refund it\n');
});

test('a long reason is cut on one line, and says so', () => {
  const reason = `${'word '.repeat(60)}\nthe end`;
  const line = approvalListing(approval({ reason }), now).split('\n')[2];
  expect(line.endsWith('…')).toBe(true);
  expect(line).not.toContain('the end');
  expect(approvalListing(approval({ reason: 'short\nand plain' }), now)).toContain(': short and plain\n');
});

test('the pending requests come from the approvals index, without a scan once it is filled; --all lists every one', async () => {
  const h = harness();
  const open = await requestApproval(h.deps, refundRequest());
  h.clock.now = new Date(h.clock.now.getTime() + 60_000);
  const later = await requestApproval(
    h.deps,
    refundRequest({ runId: 'run-2', taskToken: 'token-2', call: { toolUseId: 'tu-2', name: 'refunds.issue', input: { orderId: 'B-7', amount: 80 } } }),
  );
  const decided = await requestApproval(
    h.deps,
    refundRequest({ runId: 'run-3', taskToken: 'token-3', call: { toolUseId: 'tu-3', name: 'refunds.issue', input: { orderId: 'C-9', amount: 70 } } }),
  );
  await decide(h.deps, { approvalId: decided.approvalId, approver: 'sam', vote: 'reject', via: 'cli' });
  // The table also holds what a busy deployment's does: conversations of every run, which a scan would read.
  for (let i = 0; i < 50; i++) await h.stateTable.put({ pk: `run#old-${i}`, sk: 'conversation#triage', text: 'x'.repeat(100) });

  await listedApprovals(h.stateTable, false); // the first read of a table lists what was stored before the index, once
  const scan = jest.spyOn(h.stateTable, 'scan');
  expect((await listedApprovals(h.stateTable, false)).map((a) => a.id)).toEqual([open.approvalId, later.approvalId]);
  expect(scan).not.toHaveBeenCalled();

  const all = await listedApprovals(h.stateTable, true);
  expect(all.map((a) => [a.id, a.status])).toEqual([
    [open.approvalId, 'pending'],
    [later.approvalId, 'pending'],
    [decided.approvalId, 'rejected'],
  ]);
});
