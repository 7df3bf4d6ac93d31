/**
 * Today's numbers without listing the day: the runs started before a mark a
 * minute behind the clock are counted once and kept; each look lists only the
 * runs since. A run that shows up late in the listing (ListExecutions is
 * eventually consistent) is still counted; a kept count from another day or
 * a damaged one starts over; statuses count from the pages they list.
 */
import { RunsToday, SETTLE_MS } from '../../../shared/console/runs-today';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { MemoryExecutions } from './console-harness';

const DAY = '2026-12-06';
const at = (hh: number, mm = 0, ss = 0) => new Date(`${DAY}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}Z`);

function setup() {
  const executions = new MemoryExecutions();
  const state = new MemoryTable('state');
  return { executions, state, today: new RunsToday(executions, state) };
}

test('a busy day is listed once: later looks read the runs since the mark, and the count stays exact', async () => {
  const { executions, state, today } = setup();
  for (let i = 0; i < 2500; i++) executions.add(`r${i}`, i % 2 ? 'support-desk' : 'weekly-review', 'SUCCEEDED', new Date(at(1).getTime() + i * 1000));
  executions.add('yesterday', 'support-desk', 'SUCCEEDED', new Date(at(0).getTime() - 1));

  expect(await today.started(at(12))).toBe(2500);
  // 1,250 runs each: a first page of 100, then pages of 1,000; the third workflow has none.
  expect(executions.listCalls).toBe(3 + 3 + 1);
  expect(await state.get({ pk: `console-tally#${DAY}`, sk: 'started' })).toMatchObject({
    workflows: { 'support-desk': { count: 1250, mark: at(12).getTime() - SETTLE_MS }, 'weekly-review': { count: 1250 } },
  });

  executions.listCalls = 0;
  executions.add('new-1', 'support-desk', 'RUNNING', at(12, 5));
  executions.add('new-2', 'sales-follow-up', 'SUCCEEDED', at(12, 6));
  expect(await today.started(at(12, 10))).toBe(2502);
  // One page per workflow: the walk ends at the first run started before the mark.
  expect(executions.listCalls).toBe(3);
});

test('a run that shows up in the listing late, but less than a minute behind the clock, is counted', async () => {
  const { executions, today } = setup();
  executions.add('a', 'support-desk', 'SUCCEEDED', at(9));
  expect(await today.started(at(10))).toBe(1);
  // Started 30 s before the first look, listed only after it.
  executions.add('late', 'support-desk', 'SUCCEEDED', new Date(at(10).getTime() - 30_000));
  expect(await today.started(at(10, 0, 5))).toBe(2);
  expect(await today.started(at(11))).toBe(2);
});

test("yesterday's kept count or a damaged one starts over; a run after a mark kept by an instance whose clock runs ahead is counted once", async () => {
  const { executions, state, today } = setup();
  executions.add('a', 'support-desk', 'SUCCEEDED', at(8));
  executions.add('b', 'support-desk', 'SUCCEEDED', at(9));
  await state.put({ pk: `console-tally#${DAY}`, sk: 'started', workflows: { 'support-desk': { mark: 'x', count: -4 }, 'weekly-review': null } });
  expect(await today.started(at(10))).toBe(2);

  // Another instance, its clock minutes ahead, kept a mark after this instance's clock.
  await state.put({ pk: `console-tally#${DAY}`, sk: 'started', workflows: { 'support-desk': { mark: at(10, 5).getTime(), count: 2 } } });
  executions.add('c', 'support-desk', 'SUCCEEDED', at(10, 6));
  expect(await today.started(at(10, 2))).toBe(3);
  expect(await today.started(at(10, 8))).toBe(3);
  expect(await today.started(at(11))).toBe(3);

  // The next day starts from nothing.
  expect(await today.started(new Date(`2026-12-07T00:00:30Z`))).toBe(0);
});

test('each status: the newest to list over every day and workflow, and how many of them started today', async () => {
  const { executions, today } = setup();
  executions.add('f-old', 'support-desk', 'FAILED', new Date(at(0).getTime() - 3_600_000));
  for (let i = 0; i < 150; i++) executions.add(`f${i}`, i % 3 === 0 ? 'weekly-review' : 'support-desk', 'FAILED', new Date(at(2).getTime() + i * 60_000));
  executions.add('ok', 'support-desk', 'SUCCEEDED', at(5));
  const failed = await today.inStatus('FAILED', at(12), 5);
  expect(failed.today).toBe(150);
  expect(failed.newest.map((r) => r.runId)).toEqual(['f149', 'f148', 'f147', 'f146', 'f145']);
  const one = await new RunsToday(executions, new MemoryTable('state')).inStatus('FAILED', new Date('2026-12-07T12:00:00Z'), 5);
  expect(one.today).toBe(0);
  expect(one.newest).toHaveLength(5);
});
