/**
 * The runs list across every workflow: newest first, filtered by workflow,
 * status and day, a page at a time. Step Functions lists one state machine
 * at a time, newest first, with a continuation token; the list merges those
 * streams and its cursor remembers, per workflow, the token of the page it
 * is in and how far into that page it got, so page N+1 costs what page 1
 * does (no re-reading from the top).
 */
import { ConsoleBadInputError } from './errors';
import type { ExecutionsPort, RunStatus, RunSummary } from './ports';

export interface RunQuery {
  /** Only these workflows (default all). */
  workflowIds?: readonly string[];
  status?: RunStatus;
  /** Inclusive UTC days, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface RunPage {
  runs: RunSummary[];
  /** Pass back as `cursor` for the next page. */
  next?: string;
}

interface Stream {
  id: string;
  arn: string;
  /** Token of the page in `buffer` (undefined: the first page). */
  pageToken?: string;
  buffer: RunSummary[];
  pos: number;
  nextToken?: string;
  done: boolean;
}

type Cursor = Record<string, { t?: string; s: number } | null>;

function decodeCursor(cursor: string | undefined): Cursor {
  if (!cursor) return {};
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Cursor;
  } catch {
    // fall through
  }
  throw new ConsoleBadInputError('the page cursor is not valid: start from the first page');
}

function dayStart(day: string | undefined, name: string): number | undefined {
  if (!day) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new ConsoleBadInputError(`${name} must be a day like 2026-12-06`, { [name]: day });
  return Date.parse(`${day}T00:00:00Z`);
}

/** One page of runs. */
export async function listRuns(port: ExecutionsPort, query: RunQuery): Promise<RunPage> {
  const fromMs = dayStart(query.from, 'from');
  const toStart = dayStart(query.to, 'to');
  const toMs = toStart === undefined ? undefined : toStart + 86_400_000;
  const cursor = decodeCursor(query.cursor);
  const pageMax = Math.min(1000, toMs !== undefined ? 1000 : Math.max(query.limit + 1, 25));
  const machines = (await port.workflows()).filter((w) => !query.workflowIds || query.workflowIds.includes(w.id));
  const streams: Stream[] = machines
    .filter((m) => cursor[m.id] !== null)
    .map((m) => ({ id: m.id, arn: m.arn, pageToken: cursor[m.id]?.t, buffer: [], pos: cursor[m.id]?.s ?? 0, done: false }));

  const fill = async (s: Stream, token: string | undefined, keep: number) => {
    const page = await port.list(s.arn, { status: query.status, nextToken: token, max: pageMax });
    s.pageToken = token;
    s.buffer = page.runs;
    s.pos = keep;
    s.nextToken = page.nextToken;
  };
  /** The stream's next run, fetching the next page when needed; undefined at the end. */
  const head = async (s: Stream): Promise<RunSummary | undefined> => {
    for (;;) {
      if (s.done) return undefined;
      if (s.pos < s.buffer.length) {
        const run = s.buffer[s.pos];
        if (fromMs !== undefined && run.startedAt.getTime() < fromMs) {
          s.done = true;
          return undefined;
        }
        if (toMs !== undefined && run.startedAt.getTime() >= toMs) {
          s.pos++;
          continue;
        }
        return run;
      }
      if (!s.nextToken) {
        s.done = true;
        return undefined;
      }
      await fill(s, s.nextToken, 0);
    }
  };
  // First pages of every stream, resuming where the cursor left off.
  await Promise.all(streams.map(async (s) => fill(s, s.pageToken, s.pos)));

  const runs: RunSummary[] = [];
  while (runs.length < query.limit) {
    let best: Stream | undefined;
    let bestRun: RunSummary | undefined;
    for (const s of streams) {
      const run = await head(s);
      if (run && (!bestRun || run.startedAt.getTime() > bestRun.startedAt.getTime())) {
        best = s;
        bestRun = run;
      }
    }
    if (!best || !bestRun) break;
    runs.push(bestRun);
    best.pos++;
  }
  const heads = await Promise.all(streams.map(async (s) => ({ s, run: await head(s) })));
  if (heads.every((h) => !h.run)) return { runs };
  const next: Cursor = {};
  for (const m of machines) next[m.id] = null;
  for (const { s, run } of heads) next[s.id] = run ? { ...(s.pageToken ? { t: s.pageToken } : {}), s: s.pos } : null;
  return { runs, next: Buffer.from(JSON.stringify(next)).toString('base64url') };
}
