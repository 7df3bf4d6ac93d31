/**
 * `aios approvals` leads each request with the sentence its approvers were emailed (stored with the request), and
 * shows where it cut the agent's reason.
 */
import { approvalListing } from '../../../cli/commands/approvals';
import { anApproval } from '../../support/approval';

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
