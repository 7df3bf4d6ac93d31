/**
 * Approval messages for people: a tool's `describe(input)` leads the email
 * subject, the approval page and the console; without it every field is
 * shown uncut; the model-facing description never appears.
 */
import { describeAction, renderApprovalEmail, viewApproval, type Approval } from '../../../shared/approvals';
import { anApproval } from '../../support/approval';
import { consoleHarness, pendingRefund, signIn } from './console-harness';
import { toolSchema } from '../../../shared/definition/tool';
import { currentOs } from '../../../functions/current-os';
import { z } from 'zod';

// Without the stored sentence (as before it was stored): the call is described from the tool.
const approval = (call: Approval['call']): Approval => anApproval({ call, action: undefined });

test("the example's refund tool reads as a sentence, in the subject first and whole", () => {
  const os = currentOs();
  const refunds = os.tools.find((t) => t.id === 'refunds.issue')!;
  const describers = { 'refunds.issue': refunds.describe as (i: unknown) => string };
  const a = approval({ toolUseId: 'tu', name: 'refunds.issue', input: { orderId: 'KC-10482', amount: 64, currency: 'USD', reason: 'x'.repeat(400) } });
  expect(describeAction(a, describers)).toBe('Refund $64.00 on order KC-10482');
  const mail = renderApprovalEmail({ approval: a, approver: { id: 'sam', name: 'Sam', email: 'sam@x' }, link: 'https://x/approvals/a1', describers });
  expect(mail.subject.startsWith('Refund $64.00 on order KC-10482 — approval needed')).toBe(true);
  expect(mail.text).not.toContain(refunds.description);
  expect(mail.html).not.toContain(refunds.description);
});

test('without describe, every field is listed and no value is cut, even in the subject', () => {
  const long = `KC-${'9'.repeat(150)}`;
  const a = approval({ toolUseId: 'tu', name: 'refunds.issue', input: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, orderId: long, amount: 1234.56 } });
  const sentence = describeAction(a);
  expect(sentence).toContain(long);
  expect(sentence).toContain('amount 1234.56');
  const mail = renderApprovalEmail({ approval: a, approver: { id: 'sam', name: 'Sam', email: 'sam@x' }, link: 'https://x/a', describers: {} });
  expect(mail.subject).toContain(long);
  expect(mail.subject).toContain('amount 1234.56');
  expect(mail.subject).not.toMatch(/[\r\n]/);
});

test('a describe that throws falls back to the listing; one with line breaks stays on one line', () => {
  const a = approval({ toolUseId: 'tu', name: 'refunds.issue', input: { orderId: 'KC-1', amount: 5 } });
  expect(
    describeAction(a, {
      'refunds.issue': () => {
        throw new Error('bad');
      },
    }),
  ).toBe('refunds.issue with orderId "KC-1", amount 5');
  expect(describeAction(a, { 'refunds.issue': () => 'Refund\r\nBcc: x' })).toBe('Refund Bcc: x');
});

test('describe must be a function in a definition', () => {
  const tool = {
    id: 'refunds.issue',
    description: 'Refund an order to the customer.',
    input: z.object({}),
    sideEffect: 'external',
    idempotent: true,
    handler: async () => null,
  };
  expect(toolSchema.safeParse({ ...tool, describe: () => 'Refund' }).success).toBe(true);
  const bad = toolSchema.safeParse({ ...tool, describe: 'Refund' });
  expect(bad.success).toBe(false);
  expect(JSON.stringify(bad.error?.issues)).toContain('describe');
});

test('the rule that asked is named with its description in the email, the approval page and the console', async () => {
  const h = consoleHarness();
  h.approvalDeps.ruleDescriptions = { 'medium-refunds': 'Refunds from $50 to $500 need the support lead.' };
  const id = await pendingRefund(h, { ruleId: 'medium-refunds' });
  expect(h.mail[0].text).toContain('Rule: medium-refunds — Refunds from $50 to $500 need the support lead.');
  expect(h.mail[0].html).toContain('<strong>Rule:</strong> medium-refunds — Refunds from $50 to $500 need the support lead.');
  const url = new URL(/https:\/\/aios\.example\/approvals\/\S+/.exec(h.mail[0].text)![0]);
  const page = await viewApproval(h.approvalDeps, id, Object.fromEntries(url.searchParams));
  expect(page.html).toContain('medium-refunds — Refunds from $50 to $500 need the support lead.');
  const sam = await signIn(h, 'sam@kestrel.example');
  expect((await sam.get(`/console/approvals/${id}`)).html).toContain('Rule <strong>medium-refunds</strong>: Refunds from $50 to $500 need the support lead.');
});
