/**
 * Text shown on one line of a page or a terminal (a tool's result, a reason, an audit summary): its whitespace, line
 * breaks included, collapsed so it cannot break the line it sits in, and cut to `max` characters, marked where cut.
 */

/** How long a clipped line is unless said otherwise. */
export const CLIP_CHARS = 100;

/** Cuts text to one line of at most `max` characters. */
export function clip(text: string, max = CLIP_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
