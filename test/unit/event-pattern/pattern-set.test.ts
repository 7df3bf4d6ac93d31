import { compileEventPattern, compileEventPatternSet } from '../../../shared/event-pattern';
import { matchingCases } from './matching-cases';

describe('compileEventPatternSet', () => {
  it('returns the indexes of matching patterns, indexed or not', () => {
    const match = compileEventPatternSet([
      { source: ['stripe'] },
      { source: ['zendesk'], detail: { priority: ['high'] } },
      { detail: { amount: [{ numeric: ['>', 10] }] } },
      { source: ['zendesk', 'stripe'] },
      { ip: ['10.0.0.1'] },
    ]);
    expect(match({ source: 'stripe', detail: { amount: 20 } })).toEqual([0, 2, 3]);
    expect(match({ source: 'zendesk', detail: { priority: 'high' } })).toEqual([1, 3]);
    expect(match({ source: ['x', 'zendesk'], detail: {} })).toEqual([3]);
    expect(match({ source: 'other', ip: '10.0.0.1' })).toEqual([4]);
    expect(match(null)).toEqual([]);
  });

  it('agrees with one-by-one matching on every case of the table', () => {
    const patterns = [...new Set(matchingCases.map((c) => c.pattern))];
    const set = compileEventPatternSet(patterns);
    const single = patterns.map((p) => compileEventPattern(p));
    for (const c of matchingCases) {
      expect(set(c.event)).toEqual(single.flatMap((m, i) => (m(c.event) ? [i] : [])));
    }
  });
});
