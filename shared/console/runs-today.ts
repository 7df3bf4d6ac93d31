/**
 * Today's runs, counted without listing them all. Step Functions keeps no
 * count: there is only ListExecutions, newest first, at most 1,000 a page,
 * and throttled to a refill of two calls a second per account. Listing a busy
 * day's runs on every look at the home page cost a call per thousand runs per
 * workflow (10,000 runs: over 30 calls). Two facts make it cheap:
 * - a run's start never changes, so the runs started before a mark are
 *   counted once and the count kept in the `state` table; a look lists only
 *   the runs started since. ListExecutions is eventually consistent, so the
 *   mark stays SETTLE_MS behind the clock: a run that shows up late in the
 *   list is still after it, and counted.
 * - the runs not finished well (running, failed, timed out, stopped) are few:
 *   they are listed by status, and finished is what remains.
 *
 *   pk `console-tally#<YYYY-MM-DD>`  sk `started`  per workflow: `mark` (epoch ms) and `count`, the runs started
 *                                                  that day before the mark
 */
import type { Table } from '../storage/table';
import type { ExecutionsPort, RunStatus, RunSummary } from './ports';

/** How far behind the clock the kept count stays (ListExecutions is eventually consistent). */
export const SETTLE_MS = 60_000;
/** A look's first page per workflow: enough for the runs since the last look, small to read. */
const FIRST_PAGE = 100;
const NEXT_PAGE = 1000;
const DAY_MS = 86_400_000;

interface Counted {
  /** Epoch ms: every run of the day started before it is in `count`. */
  mark: number;
  count: number;
}

const tallyKey = (day: string) => ({ pk: `console-tally#${day}`, sk: 'started' });

function dayStartMs(now: Date): number {
  return Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
}

/** What the table holds for a workflow, if it is a count of this day; otherwise nothing is counted yet. */
function keptCount(value: unknown, dayStart: number): Counted {
  const v = value as Partial<Counted> | undefined;
  const valid = v && Number.isSafeInteger(v.mark) && Number.isSafeInteger(v.count) && v.count! >= 0 && v.mark! >= dayStart && v.mark! <= dayStart + DAY_MS;
  return valid ? { mark: v.mark!, count: v.count! } : { mark: dayStart, count: 0 };
}

/**
 * Walks one workflow's runs of one status (or all), newest first, until one started before `until`; each run seen
 * goes to `visit`. The first page holds `firstPage` runs: what a caller shows comes from it.
 */
async function walkSince(
  port: ExecutionsPort,
  arn: string,
  until: number,
  visit: (run: RunSummary) => void,
  options: { status?: RunStatus; firstPage?: number } = {},
): Promise<RunSummary[]> {
  const filter = options.status ? { status: options.status } : {};
  let page = await port.list(arn, { ...filter, max: options.firstPage ?? FIRST_PAGE });
  const first = page.runs;
  for (;;) {
    for (const run of page.runs) {
      if (run.startedAt.getTime() < until) return first;
      visit(run);
    }
    if (!page.nextToken) return first;
    page = await port.list(arn, { ...filter, nextToken: page.nextToken, max: NEXT_PAGE });
  }
}

export interface StatusSample {
  /** The newest runs in this status over every workflow (any day), newest first, at most `show`. */
  newest: RunSummary[];
  /** How many runs started today are in this status. */
  today: number;
}

/** Today's runs of every workflow, on Step Functions' listing and the `state` table. */
export class RunsToday {
  constructor(
    private readonly executions: ExecutionsPort,
    private readonly state: Table,
  ) {}

  /** How many runs every workflow started today (UTC), listing only those started since the kept mark. */
  async started(now: Date): Promise<number> {
    const day = now.toISOString().slice(0, 10);
    const dayStart = dayStartMs(now);
    const [workflows, item] = await Promise.all([this.executions.workflows(), this.state.get(tallyKey(day))]);
    const kept = item?.workflows as Record<string, unknown> | undefined;
    const counted = await Promise.all(
      workflows.map(async (w) => {
        const before = keptCount(kept?.[w.id], dayStart);
        // Never behind the kept mark: a mark written by an instance whose clock runs ahead is not counted twice.
        const mark = Math.max(before.mark, Math.min(now.getTime() - SETTLE_MS, dayStart + DAY_MS));
        let settled = 0;
        let recent = 0;
        await walkSince(this.executions, w.arn, before.mark, (run) => {
          if (run.startedAt.getTime() >= mark) recent++;
          else settled++;
        });
        return { id: w.id, after: { mark, count: before.count + settled }, total: before.count + settled + recent, moved: mark !== before.mark };
      }),
    );
    if (counted.some((c) => c.moved)) await this.state.put({ ...tallyKey(day), workflows: Object.fromEntries(counted.map((c) => [c.id, c.after])) });
    return counted.reduce((sum, c) => sum + c.total, 0);
  }

  /** The runs in one status: the newest to show and how many of today's, from the same pages. */
  async inStatus(status: RunStatus, now: Date, show: number): Promise<StatusSample> {
    const dayStart = dayStartMs(now);
    let today = 0;
    const workflows = await this.executions.workflows();
    const firsts = await Promise.all(
      workflows.map((w) => walkSince(this.executions, w.arn, dayStart, () => today++, { status, firstPage: Math.max(show, FIRST_PAGE) })),
    );
    const newest = firsts
      .flat()
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
      .slice(0, show);
    return { newest, today };
  }
}
