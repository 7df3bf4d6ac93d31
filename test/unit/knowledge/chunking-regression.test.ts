import { chunkMarkdown } from '../../../shared/knowledge/chunking';

// Found by the property test (seed 747514096): a heading waiting above a paragraph that just fits made a chunk one word too long.
test('a heading carried over to the next chunk still leaves the chunk within the maximum', () => {
  const md = ['## a', 'a a a a a a a a a', 'a a a a a a a a a a a a', 'a a a a a a a a a a', 'a a a a', 'a a a a'].join('\n');
  const chunks = chunkMarkdown(md, { targetWords: 30, maxWords: 40 });
  for (const c of chunks) expect(c.text.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(40);
  expect(chunks.flatMap((c) => c.text.split(/\s+/).filter(Boolean))).toEqual(md.split(/\s+/).filter(Boolean));
});
