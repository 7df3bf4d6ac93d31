/**
 * Keeps every run page under the console's page budget (100 KiB) however
 * long the run: the run page carries the first turn and the latest turns of
 * each conversation, the latest tool calls and model calls, and the end of
 * the timeline; older turns are on `?turns=A-B` pages and older timeline
 * lines on `?timeline=N` pages, each linked from the run page, so nothing is
 * out of reach. A turn costs about 3 KiB of HTML and a timeline line about
 * 100 bytes (bench/RESULTS.md), hence the sizes below.
 */
import { ConsoleBadInputError } from './errors';

/** Turns of each conversation on the run page after the first one. */
export const LATEST_TURNS = 5;
/** Turns on one `?turns=` page. */
export const TURNS_PER_PAGE = 10;
/** Tool calls and model calls listed on the run page (the rest are in their turns). */
export const LATEST_CALLS = 5;
/** Timeline lines at the end of the run page. */
export const LATEST_TIMELINE_LINES = 100;
/** Timeline lines on one `?timeline=` page. */
export const TIMELINE_LINES_PER_PAGE = 300;

/** Which part of a run a request asks for. */
export type RunPart = { kind: 'run' } | { kind: 'turns'; from: number; to: number } | { kind: 'timeline'; page: number };

/**
 * The part a run page's query asks for.
 *
 * @throws ConsoleBadInputError on a malformed or too wide `turns`, a bad `timeline`, or both at once
 * @example runPartOf({ turns: '2-11' }) // { kind: 'turns', from: 2, to: 11 }
 */
export function runPartOf(query: Readonly<Record<string, string>>): RunPart {
  const { turns, timeline } = query;
  if (turns !== undefined && timeline !== undefined) throw new ConsoleBadInputError('Ask for turns or for the timeline, not both.');
  if (turns !== undefined) {
    const m = /^(\d{1,6})-(\d{1,6})$/.exec(turns);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2]) : NaN;
    if (!m || from < 1 || to < from || to - from + 1 > TURNS_PER_PAGE) {
      throw new ConsoleBadInputError(`turns must be a range such as 2-11, from turn 1 on, at most ${TURNS_PER_PAGE} turns; got "${turns.slice(0, 40)}".`, {
        turns,
      });
    }
    return { kind: 'turns', from, to };
  }
  if (timeline !== undefined) {
    if (!/^\d{1,6}$/.test(timeline) || Number(timeline) < 1)
      throw new ConsoleBadInputError(`timeline must be a page number from 1; got "${timeline.slice(0, 40)}".`, { timeline });
    return { kind: 'timeline', page: Number(timeline) };
  }
  return { kind: 'run' };
}

/** The turn numbers a conversation's run page shows: the first and the latest LATEST_TURNS. */
export function turnsOnRunPage(turnNumbers: readonly number[]): Set<number> {
  return new Set([...turnNumbers.slice(0, 1), ...turnNumbers.slice(Math.max(1, turnNumbers.length - LATEST_TURNS))]);
}

/** The `?turns=` pages over the given turn numbers (in order), TURNS_PER_PAGE turns each, as ranges of turn numbers. */
export function turnPages(turnNumbers: readonly number[]): { from: number; to: number }[] {
  const pages: { from: number; to: number }[] = [];
  for (let i = 0; i < turnNumbers.length; i += TURNS_PER_PAGE) {
    const chunk = turnNumbers.slice(i, i + TURNS_PER_PAGE);
    pages.push({ from: chunk[0], to: chunk[chunk.length - 1] });
  }
  return pages;
}

/** The page of the timeline that holds line `index` (0-based), from 1. */
export function timelinePageOf(index: number): number {
  return Math.floor(index / TIMELINE_LINES_PER_PAGE) + 1;
}

/** The index of the first timeline line the run page shows. */
export function firstTimelineLineOnRunPage(lines: number): number {
  return Math.max(0, lines - LATEST_TIMELINE_LINES);
}

/** Where a link to timeline line `index` goes from the run page: on it, or on its timeline page. */
export function timelineHref(runId: string, index: number, lines: number, onRunPage: boolean): string {
  if (onRunPage && index >= firstTimelineLineOnRunPage(lines)) return `#t-${index}`;
  return `/console/runs/${encodeURIComponent(runId)}?timeline=${timelinePageOf(index)}#t-${index}`;
}
