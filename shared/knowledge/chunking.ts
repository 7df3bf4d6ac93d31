/**
 * Splits a Markdown document into chunks a model can read in one glance and
 * BM25 can rank: sections follow headings, and a section longer than the
 * target is cut at paragraph (then sentence) boundaries.
 *
 * Why these sizes: ~150 words keeps one topic per chunk (a refund tier, a
 * troubleshooting step), which both ranks better than whole documents and
 * costs fewer prompt tokens when an agent receives the top hits. A chunk never
 * exceeds `maxWords` unless a single sentence does.
 */

export interface Chunk {
  /** 0-based position in the document. */
  index: number;
  /** The nearest heading above the chunk's start ("" before the first heading). */
  heading: string;
  text: string;
}

export interface ChunkOptions {
  targetWords?: number;
  maxWords?: number;
}

const words = (s: string): number => (s.trim() === '' ? 0 : s.trim().split(/\s+/).length);

interface Block {
  heading: string;
  text: string;
}

/** Paragraphs (blank-line separated) tagged with their heading; heading lines open a new section. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let heading = '';
  let current: string[] = [];
  const flush = () => {
    const text = current.join('\n').trim();
    if (text) out.push({ heading, text });
    current = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = h[1].trim();
      out.push({ heading, text: line.trim() });
      continue;
    }
    if (line.trim() === '') flush();
    else current.push(line);
  }
  flush();
  return out;
}

/** Cuts a paragraph that alone exceeds `maxWords` at sentence ends, then hard at word counts. */
function split(text: string, maxWords: number): string[] {
  if (words(text) <= maxWords) return [text];
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n|$)/g) ?? [text];
  const parts: string[] = [];
  let acc = '';
  for (const s of sentences) {
    const candidate = acc ? `${acc} ${s.trim()}` : s.trim();
    if (acc && words(candidate) > maxWords) {
      parts.push(acc);
      acc = s.trim();
    } else acc = candidate;
  }
  if (acc) parts.push(acc);
  return parts.flatMap((p) => {
    const w = p.split(/\s+/);
    if (w.length <= maxWords) return [p];
    const hard: string[] = [];
    for (let i = 0; i < w.length; i += maxWords) hard.push(w.slice(i, i + maxWords).join(' '));
    return hard;
  });
}

const isHeading = (text: string): boolean => /^#{1,6}\s/.test(text);

/**
 * Chunks of a Markdown body, in order.
 * @example chunkMarkdown('# Refunds\nWe refund within 30 days.').length === 1
 */
export function chunkMarkdown(markdown: string, options: ChunkOptions = {}): Chunk[] {
  const target = options.targetWords ?? 150;
  const max = Math.max(options.maxWords ?? 250, target);
  const chunks: Chunk[] = [];
  let parts: Block[] = [];
  let count = 0;
  const flush = () => {
    // Trailing heading lines introduce what follows: they move to the next chunk.
    let cut = parts.length;
    while (cut > 0 && isHeading(parts[cut - 1].text)) cut--;
    if (cut === 0) return;
    chunks.push({
      index: chunks.length,
      heading: parts[0].heading,
      text: parts
        .slice(0, cut)
        .map((p) => p.text)
        .join('\n\n'),
    });
    parts = parts.slice(cut);
    count = parts.reduce((s, p) => s + words(p.text), 0);
  };
  /** Words of the heading lines at the end of `parts`: they travel with the next piece, whatever happens. */
  const pendingHeadingWords = () => {
    let n = 0;
    for (let i = parts.length - 1; i >= 0 && isHeading(parts[i].text); i--) n += words(parts[i].text);
    return n;
  };
  for (const block of blocks(markdown)) {
    // A new section starts a new chunk once the current one has some substance.
    if (isHeading(block.text) && count >= target / 3) flush();
    // Pieces leave room for a heading that will sit above them, so no chunk exceeds the maximum.
    const room = isHeading(block.text) ? max : Math.max(1, max - pendingHeadingWords());
    for (const piece of split(block.text, room)) {
      const n = words(piece);
      if (count + n > target) flush();
      parts.push({ heading: block.heading, text: piece });
      count += n;
    }
  }
  flush();
  // A document that is only headings still yields one chunk.
  if (parts.length > 0) chunks.push({ index: chunks.length, heading: parts[0].heading, text: parts.map((p) => p.text).join('\n\n') });
  return chunks;
}
