import { formatDuration, parseDuration } from '../../../shared/rights/duration';
import { InvalidDurationError } from '../../../shared/rights/errors';
import { decisionRuleSchema, decisionRulesSchema } from '../../../shared/rights/rule-schema';

describe('parseDuration', () => {
  test.each([
    ['30m', 1800],
    ['24h', 86_400],
    ['7d', 604_800],
    ['1h30m', 5400],
    ['2w', 1_209_600],
    ['45s', 45],
  ])('%s = %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });

  test.each(['', '24', 'h', '1.5h', '-1h', '0m', '24 hours', '1y'])('%j is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(InvalidDurationError);
  });
});

describe('decisionRuleSchema', () => {
  const message = (input: unknown) => {
    const r = decisionRuleSchema.safeParse(input);
    return r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
  };

  test('accepts the example business rules', () => {
    const rules = decisionRulesSchema.parse([
      {
        id: 'refund-small',
        tool: 'refunds.issue',
        when: 'amount <= 50',
        outcome: 'allow',
        limit: { sum: { field: 'amount', max: 500 }, per: 'day', scope: 'tool' },
      },
      { id: 'refund-medium', tool: 'refunds.issue', when: 'amount <= 500', outcome: 'approve', approvers: ['role:support-lead'] },
      {
        id: 'refund-large',
        tool: 'refunds.issue',
        outcome: 'approve',
        approvers: ['role:finance'],
        quorum: 1,
        timeout: '24h',
        onTimeout: { escalateTo: ['maya'], timeout: '24h' },
      },
      {
        id: 'reply',
        tool: ['tickets.*', 'crm.note'],
        agent: 'triage',
        window: { days: ['mon', 'fri'], hours: { from: '09:00', to: '17:30' }, timeZone: 'America/Los_Angeles' },
        outcome: 'allow',
      },
      { id: 'no-delete', tool: '*.delete', outcome: 'deny', reason: 'never delete' },
    ]);
    expect(rules).toHaveLength(5);
    expect(rules[2].onTimeout).toEqual({ escalateTo: ['maya'], timeout: '24h' });
  });

  test.each([
    [{ id: 'x', outcome: 'maybe' }, 'outcome'],
    [{ id: 'x', outcome: 'approve' }, 'approvers: an approve rule needs approvers'],
    [{ id: 'x', outcome: 'allow', approvers: ['maya'] }, 'approvers: approvers applies only to outcome "approve"'],
    [{ id: 'x', outcome: 'allow', when: 'amount = 5' }, 'when: "=" is not an operator'],
    [{ id: 'x', outcome: 'approve', approvers: ['maya'], timeout: '1 day' }, 'timeout: expected a duration'],
    [{ id: 'x', outcome: 'allow', window: { timeZone: 'Mars/Olympus' } }, 'window.timeZone: expected an IANA time zone'],
    [{ id: 'x', outcome: 'allow', window: { timeZone: 'UTC', hours: { from: '9:00', to: '17:00' } } }, 'window.hours.from: expected a time of day'],
    [{ id: 'x', outcome: 'allow', window: { timeZone: 'UTC', days: ['monday'] } }, 'window.days.0'],
    [{ id: 'x', outcome: 'allow', limit: { per: 'day', scope: 'tool' } }, 'limit: a limit needs count, sum or both'],
    [{ id: 'x', outcome: 'allow', aprovers: ['maya'] }, 'aprovers'],
    [{ id: 'x y', outcome: 'allow' }, 'id: rule ids'],
    [{ id: 'x', outcome: 'approve', approvers: ['maya'], quorum: 0 }, 'quorum'],
  ])('%j is refused (%s)', (input, expected) => {
    expect(message(input)).toContain(expected);
  });

  test('duplicate ids are refused', () => {
    const r = decisionRulesSchema.safeParse([
      { id: 'a', outcome: 'allow' },
      { id: 'a', outcome: 'deny' },
    ]);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('duplicate rule id "a"');
  });
});
