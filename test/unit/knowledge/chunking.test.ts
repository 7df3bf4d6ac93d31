import fc from 'fast-check';
import { chunkMarkdown } from '../../../shared/knowledge/chunking';

const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe('chunkMarkdown', () => {
  test('follows headings and keeps each chunk near the target size', () => {
    const para = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ') + '.';
    const md = `# Title\n\nIntro ${para(50, 'i')}\n\n## Refunds\n\n${para(100, 'r')}\n\n${para(100, 's')}\n\n## Shipping\n\n${para(60, 'p')}`;
    const chunks = chunkMarkdown(md, { targetWords: 150, maxWords: 250 });
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    expect(chunks.map((c) => c.heading)).toEqual(['Title', 'Refunds', 'Refunds', 'Shipping']);
    for (const c of chunks) expect(words(c.text).length).toBeLessThanOrEqual(250);
    // A heading is never the last line of a chunk: it moves to the chunk it introduces.
    for (const c of chunks) expect(c.text.split('\n').at(-1)).not.toMatch(/^#/);
  });

  test('cuts a long paragraph at sentence ends', () => {
    const sentence = 'The grinder has conical burrs and forty settings.';
    const chunks = chunkMarkdown(Array.from({ length: 60 }, () => sentence).join(' '), { targetWords: 100, maxWords: 120 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.text.endsWith('settings.')).toBe(true);
  });

  test('keeps every word, in order, and respects the maximum', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}[.!?]?$/);
    const line = fc.oneof(
      fc.array(word, { minLength: 1, maxLength: 40 }).map((w) => w.join(' ')),
      word.map((w) => `## ${w}`),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const md = lines.join('\n');
        const chunks = chunkMarkdown(md, { targetWords: 30, maxWords: 40 });
        expect(chunks.flatMap((c) => words(c.text))).toEqual(words(md));
        for (const c of chunks) expect(words(c.text).length).toBeLessThanOrEqual(40);
      }),
      { numRuns: 200 },
    );
  });
});
