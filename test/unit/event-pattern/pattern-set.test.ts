import { compileEventPattern, compileEventPatternSet, InvalidEventPatternError } from '../../../shared/event-pattern';
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

describe('compileEventPatternSet, the decision tree', () => {
  const sources = ['stripe', 'zendesk', 'shop'];
  const types = ['a', 'b', 'c'];
  // Patterns that pin source, detail-type, both, neither, or several values of
  // one, with and without content filters and $or, so the tree has several
  // levels and patterns reachable through more than one value.
  const patterns: unknown[] = [];
  for (const s of sources) {
    for (const t of types) {
      patterns.push({ source: [s], 'detail-type': [t] });
      patterns.push({ source: [s], 'detail-type': [t, `${t}2`], detail: { n: [{ numeric: ['>', 5] }] } });
      patterns.push({ 'detail-type': [t], region: ['eu'], $or: [{ detail: { n: [1] } }, { detail: { m: ['x'] } }] });
    }
    patterns.push({ source: [s, 'shared'] });
    patterns.push({ source: [s], detail: { tags: ['vip'] } });
  }
  patterns.push({ detail: { n: [{ exists: true }] } });
  patterns.push({ region: ['eu'] });
  patterns.push({ constructor: ['x'] });
  patterns.push({ source: [{ prefix: 'str' }], 'detail-type': ['a'] });

  const events: unknown[] = [];
  for (const source of [...sources, 'shared', 'none', ['stripe', 'zendesk'], ['shared', 'shop', 'shared'], [['stripe']], 5, null]) {
    for (const type of [...types, 'a2', 'zz', ['a', 'b2'], undefined]) {
      for (const detail of [{ n: 7 }, { n: 1 }, { m: 'x', tags: ['vip'] }, [{ n: 1 }, { n: 9 }], undefined]) {
        for (const region of ['eu', undefined]) events.push({ source, 'detail-type': type, detail, region });
      }
    }
  }

  it('matches exactly what each pattern alone matches', () => {
    const set = compileEventPatternSet(patterns);
    const single = patterns.map((p) => compileEventPattern(p));
    let matches = 0;
    for (const event of events) {
      const expected = single.flatMap((m, i) => (m(event) ? [i] : []));
      matches += expected.length;
      expect(set(event)).toEqual(expected);
    }
    // The table exercises matches, not only misses.
    expect(matches).toBeGreaterThan(events.length);
  });

  it('does not find Object.prototype members through an index key', () => {
    const set = compileEventPatternSet([{ constructor: ['function Object() { [native code] }'] }, { toString: ['x'] }]);
    expect(set({})).toEqual([]);
    expect(set({ toString: 'x' })).toEqual([1]);
  });

  it('answers events that are not objects as each pattern does', () => {
    const patterns2 = [{ source: ['s'] }, { detail: { n: [{ exists: false }] } }];
    const set = compileEventPatternSet(patterns2);
    for (const event of [[{ source: 's' }], 'text', 3]) {
      expect(set(event)).toEqual(patterns2.flatMap((p, i) => (compileEventPattern(p)(event) ? [i] : [])));
    }
  });

  it('refuses an invalid pattern', () => {
    expect(() => compileEventPatternSet([{ source: ['ok'] }, { source: 'not-an-array' }])).toThrow(InvalidEventPatternError);
  });
});
