import { compileEventPattern, matchesEventPattern } from '../../../shared/event-pattern';
import { matchingCases } from './matching-cases';

describe('EventBridge pattern matching', () => {
  it('has at least 150 named cases', () => {
    expect(matchingCases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(matchingCases.map((c) => c.name)).size).toBe(matchingCases.length);
  });

  it.each(matchingCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(compileEventPattern(c.pattern)(c.event)).toBe(c.expected);
  });

  it('a compiled matcher is reusable and does not keep state between events', () => {
    const match = compileEventPattern({ detail: { amount: [{ numeric: ['>', 50] }] } });
    expect([10, 60, 10, 60].map((amount) => match({ detail: { amount } }))).toEqual([false, true, false, true]);
  });

  it('matchesEventPattern is the one-off form', () => {
    expect(matchesEventPattern({ source: ['a'] }, { source: 'a' })).toBe(true);
    expect(matchesEventPattern({ source: ['a'] }, { source: 'b' })).toBe(false);
  });
});
