import { checkExpectations, partialDifferences } from '../../../shared/scenarios/check-expectations';
import type { ObservedRun } from '../../../shared/scenarios/observed-run';
import { parsePersonAction, scenarioSchema } from '../../../shared/scenarios/scenario-schema';

const run: ObservedRun = {
  status: 'succeeded',
  rights: [{ step: 'pay', tool: 'payments.schedule', decision: 'approve', rule: 'office-manager', reason: '' }],
  toolCalls: [{ step: 'pay', tool: 'payments.schedule', input: { vendorId: 'v-1', amount: 2400 }, status: 'ran' }],
  approvals: [{ step: 'pay', tool: 'payments.schedule', approvers: ['sam', 'ana'], outcome: 'approved' }],
  emails: [{ to: 'sam@example.com', subject: 'Approval needed: payments.schedule' }],
  output: { pay: { scheduled: true, when: '2026-12-08' } },
};

describe('scenario expectations', () => {
  it('a matching expectation has no mismatch (partial input and output, approvers in any order)', () => {
    expect(
      checkExpectations(
        {
          status: 'succeeded',
          rights: [{ tool: 'payments.schedule', decision: 'approve', rule: 'office-manager' }],
          toolCalls: [{ tool: 'payments.schedule', input: { amount: 2400 } }],
          approvals: [{ approvers: ['ana', 'sam'], outcome: 'approved' }],
          emails: [{ to: 'sam@example.com', subjectContains: 'Approval needed' }],
          output: { pay: { scheduled: true } },
        },
        run,
      ),
    ).toEqual([]);
  });

  it('names the list, position, step, tool and field of each difference', () => {
    expect(
      checkExpectations(
        {
          rights: [{ tool: 'payments.schedule', decision: 'allow' }],
          toolCalls: [{ tool: 'payments.schedule', input: { amount: 2500 } }],
          output: { pay: { when: '2026-12-09' } },
        },
        run,
      ),
    ).toEqual([
      { where: 'rights[0] (step pay, tool payments.schedule).decision', expected: 'allow', actual: 'approve' },
      { where: 'toolCalls[0] (step pay, tool payments.schedule).input.amount', expected: 2500, actual: 2400 },
      { where: 'output.pay.when', expected: '2026-12-09', actual: '2026-12-08' },
    ]);
  });

  it('a missing or an extra entry is a mismatch, and so is the status', () => {
    expect(
      checkExpectations({ status: 'waiting', rights: [], approvals: [{ outcome: 'approved' }, { outcome: 'approved' }] }, run).map((m) => m.where),
    ).toEqual(['status', 'rights[0]', 'approvals[1]']);
  });

  it('partial differences: nested objects and arrays by index', () => {
    expect(partialDifferences({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] }, x: 1 })).toEqual([{ path: 'a.b[1].c', expected: 2, actual: 3 }]);
    expect(partialDifferences({ a: 1 }, null)).toEqual([{ path: '(value)', expected: { a: 1 }, actual: null }]);
  });
});

describe('scenario files', () => {
  it('people write what they do in words', () => {
    expect(parsePersonAction('sam approves')).toEqual({ kind: 'vote', person: 'sam', vote: 'approve' });
    expect(parsePersonAction('priya rejects: too high')).toEqual({ kind: 'vote', person: 'priya', vote: 'reject', comment: 'too high' });
    expect(parsePersonAction('the deadline passes')).toEqual({ kind: 'deadline' });
    expect(() => parsePersonAction('sam maybe')).toThrow(/approves/);
  });

  it('an unknown field or a bad action is a clear error', () => {
    const bad = scenarioSchema.safeParse({ name: 'x', workflow: 'w', people: ['sam says yes'], expect: { statuss: 'succeeded' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['people.0', 'expect']);
  });
});
