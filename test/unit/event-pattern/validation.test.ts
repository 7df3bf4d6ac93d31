import { compileEventPattern, InvalidEventPatternError, validateEventPattern } from '../../../shared/event-pattern';
import { invalidCases, validPatterns } from './validation-cases';

describe('EventBridge pattern validation', () => {
  it.each(invalidCases.map((c) => [c.name, c] as const))('refuses: %s', (_name, c) => {
    const problems = validateEventPattern(c.pattern);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(c.problem);
  });

  it.each(validPatterns.map((c) => [c.name, c] as const))('accepts: %s', (_name, c) => {
    expect(validateEventPattern(c.pattern)).toEqual([]);
  });

  it('reports every problem, not only the first', () => {
    const problems = validateEventPattern({ a: [], b: 'x', c: [{ numeric: ['>', 'y'] }] });
    expect(problems).toEqual([expect.stringContaining('$.a:'), expect.stringContaining('$.b:'), expect.stringContaining('$.c[0].numeric[1]:')]);
  });

  it('compileEventPattern throws a typed error carrying the problems', () => {
    let caught: unknown;
    try {
      compileEventPattern({ source: [] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    expect((caught as InvalidEventPatternError).code).toBe('EventPattern.Invalid');
    expect((caught as InvalidEventPatternError).problems).toEqual([expect.stringContaining('$.source: empty arrays')]);
  });
});
