import { bm25Scores, InvertedIndex } from '../../../shared/knowledge/bm25';

function index(docs: Record<string, string[]>): InvertedIndex {
  const i = new InvertedIndex();
  for (const [key, terms] of Object.entries(docs)) i.add(key, terms);
  return i;
}

describe('BM25', () => {
  test('matches the formula on a hand-computed corpus', () => {
    const i = index({ a: ['refund', 'bag', 'bag'], b: ['ship', 'bag'], c: ['ship', 'canada', 'rate', 'fee'] });
    const scores = bm25Scores(['refund'], [i]);
    // N = 3, df = 1, avgdl = 3, |a| = 3, tf = 1
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    expect(scores.get('a')).toBeCloseTo((idf * 1 * 2.2) / (1 + 1.2 * (1 - 0.75 + 0.75 * (3 / 3))), 12);
    expect([...scores.keys()]).toEqual(['a']);
  });

  test('rare terms weigh more than common ones; repeats saturate; long chunks are penalised', () => {
    const i = index({ a: ['bag', 'valve'], b: ['bag', 'roast'], c: ['bag', 'grind'] });
    const s = bm25Scores(['bag', 'valve'], [i]);
    expect(s.get('a')!).toBeGreaterThan(s.get('b')!);
    const sat = index({ one: ['decaf', 'x1'], three: ['decaf', 'decaf', 'decaf'], other: ['y'] });
    const r = bm25Scores(['decaf'], [sat]);
    expect(r.get('three')! / r.get('one')!).toBeLessThan(3);
    const len = index({ short: ['grinder', 'burr'], long: ['grinder', 'burr', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'], z: ['q'] });
    const l = bm25Scores(['grinder'], [len]);
    expect(l.get('short')!).toBeGreaterThan(l.get('long')!);
  });

  test('several indexes score like one index holding all their chunks', () => {
    const docs = { a: ['refund', 'bag'], b: ['ship', 'bag', 'bag'], c: ['ship', 'canada'], d: ['refund', 'card', 'days'] };
    const whole = bm25Scores(['refund', 'ship', 'bag'], [index(docs)]);
    const split = bm25Scores(['refund', 'ship', 'bag'], [index({ a: docs.a, b: docs.b }), index({ c: docs.c, d: docs.d })]);
    for (const [k, v] of whole) expect(split.get(k)).toBeCloseTo(v, 12);
    expect(split.size).toBe(whole.size);
  });

  test('removing a chunk restores the statistics', () => {
    const i = index({ a: ['refund'], b: ['ship'] });
    const before = bm25Scores(['refund'], [i]).get('a');
    i.add('c', ['refund', 'refund', 'extra']);
    i.remove('c');
    expect(i.size).toBe(2);
    expect(i.totalLength).toBe(2);
    expect(bm25Scores(['refund'], [i]).get('a')).toBe(before);
    expect(bm25Scores(['refund'], [])).toEqual(new Map());
  });
});
