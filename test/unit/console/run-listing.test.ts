/**
 * The merged runs list: across workflows, newest first, filtered, and paged
 * by cursor with no run skipped or repeated — checked against sorting
 * everything in memory, for random run sets and page sizes.
 */
import fc from 'fast-check';
import { listRuns, type RunQuery } from '../../../shared/console/run-listing';
import type { RunStatus, RunSummary } from '../../../shared/console/ports';
import { ConsoleBadInputError } from '../../../shared/console/errors';
import { MemoryExecutions, WORKFLOWS } from './console-harness';

const STATUSES: RunStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED'];
const DAY0 = Date.parse('2026-12-01T00:00:00Z');

async function allPages(port: MemoryExecutions, query: Omit<RunQuery, 'cursor'>): Promise<{ runs: RunSummary[]; pages: number }> {
  const runs: RunSummary[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listRuns(port, { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.runs.length).toBeLessThanOrEqual(query.limit);
    runs.push(...page.runs);
    cursor = page.next;
    pages++;
  } while (cursor && pages < 1000);
  return { runs, pages };
}

test('pages through every run exactly once, newest first, for any mix of workflows, filters and page size', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ wf: fc.integer({ min: 0, max: 2 }), status: fc.integer({ min: 0, max: 2 }), minute: fc.integer({ min: 0, max: 5 * 24 * 60 }) }), {
        maxLength: 120,
      }),
      fc.integer({ min: 1, max: 17 }),
      fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      fc.option(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })), { nil: undefined }),
      async (specs, limit, wf, status, days) => {
        const port = new MemoryExecutions();
        specs.forEach((s, i) => port.add(`run-${String(i).padStart(4, '0')}`, WORKFLOWS[s.wf], STATUSES[s.status], new Date(DAY0 + s.minute * 60_000)));
        const day = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);
        const query: Omit<RunQuery, 'cursor'> = {
          limit,
          ...(wf !== undefined ? { workflowIds: [WORKFLOWS[wf]] } : {}),
          ...(status !== undefined ? { status: STATUSES[status] } : {}),
          ...(days ? { from: day(days[0]), to: day(days[0] + days[1]) } : {}),
        };
        const from = days ? DAY0 + days[0] * 86_400_000 : -Infinity;
        const to = days ? DAY0 + (days[0] + days[1] + 1) * 86_400_000 : Infinity;
        const expected = port.runs
          .filter(
            (r) =>
              (wf === undefined || r.workflowId === WORKFLOWS[wf]) &&
              (status === undefined || r.status === STATUSES[status]) &&
              r.startedAt.getTime() >= from &&
              r.startedAt.getTime() < to,
          )
          .map((r) => r.runId)
          .sort();
        const got = await allPages(port, query);
        expect([...got.runs.map((r) => r.runId)].sort()).toEqual(expected);
        for (let i = 1; i < got.runs.length; i++) expect(got.runs[i - 1].startedAt.getTime()).toBeGreaterThanOrEqual(got.runs[i].startedAt.getTime());
        expect(got.pages).toBeLessThanOrEqual(Math.max(1, Math.ceil(expected.length / limit) + 1));
      },
    ),
    { numRuns: 150 },
  );
});

test('a later page costs about what the first does: it resumes from its workflow tokens', async () => {
  const port = new MemoryExecutions();
  for (let i = 0; i < 3000; i++) port.add(`r${i}`, WORKFLOWS[i % 3], 'SUCCEEDED', new Date(DAY0 + i * 1000));
  let page = await listRuns(port, { limit: 50 });
  for (let p = 0; p < 20; p++) page = await listRuns(port, { limit: 50, cursor: page.next });
  port.listCalls = 0;
  const next = await listRuns(port, { limit: 50, cursor: page.next });
  expect(next.runs.map((r) => r.runId)[0]).toBe(`r${3000 - 1 - 21 * 50}`);
  expect(port.listCalls).toBeLessThanOrEqual(6);
});

test('a bad cursor or day is a clear error', async () => {
  const port = new MemoryExecutions();
  await expect(listRuns(port, { limit: 5, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(ConsoleBadInputError);
  await expect(listRuns(port, { limit: 5, from: '06/12/2026' })).rejects.toThrow('from must be a day like 2026-12-06');
});
