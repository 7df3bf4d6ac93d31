import fc from 'fast-check';
import { STOPWORDS, stem, tokenize } from '../../../shared/knowledge/tokenize';

describe('tokenize', () => {
  test('lowercases, folds accents, drops stopwords and single letters, keeps numbers', () => {
    expect(tokenize('The Café is OPEN: a $50 refund in 5–10 days!')).toEqual(['cafe', 'open', '50', 'refund', '5', '10', 'day']);
  });

  test('inflections of a word meet at one stem', () => {
    expect(new Set(['shipping', 'shipped', 'ships', 'ship'].map(stem))).toEqual(new Set(['ship']));
    expect(new Set(['refunds', 'refunded', 'refunding', 'refund'].map(stem))).toEqual(new Set(['refund']));
    expect(new Set(['descale', 'descaling', 'descaled'].map(stem))).toEqual(new Set(['descal']));
    expect(new Set(['delivery', 'deliveries'].map(stem))).toEqual(new Set(['deliveri']));
    expect(new Set(['cancel', 'canceled', 'cancelled', 'cancels'].map(stem))).toEqual(new Set(['cancel']));
    expect(stem('press')).toBe('press');
    expect(stem('need')).toBe('need');
  });

  test('is idempotent on its own output and never emits stopwords or empty terms', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const terms = tokenize(text);
        for (const t of terms) {
          expect(t).toMatch(/^[a-z0-9]+$/);
          expect(STOPWORDS.has(t)).toBe(false);
        }
        expect(tokenize(text)).toEqual(terms);
      }),
      { numRuns: 300 },
    );
  });
});
