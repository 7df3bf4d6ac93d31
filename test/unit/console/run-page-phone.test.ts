/**
 * A run page on a phone: the columns a phone hides (`opt`) are hidden in the model calls' total row too, so its
 * numbers stay under their headings; the timeline's numbers hang left of its lines in room the look gives them by
 * their digits, so a narrow margin does not cut "10." to "0.".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { timelineClass } from '../../../shared/console/run-view';
import { CONSOLE_LOOK } from '../../../shared/console/pages/console-look';
import type { HistoryEventLike } from '../../../shared/run-timeline';
import { consoleHarness, signIn, T0 } from './console-harness';

const cells = (row: string): string[] => [...row.matchAll(/<t[hd]( class="opt")?[^>]*>/g)].map((m) => (m[1] ? 'opt' : 'cell'));

it("the model calls' total row hides what the heading hides, and the timeline is numbered in room for its numbers", async () => {
  const h = consoleHarness();
  const { events } = JSON.parse(readFileSync(path.join(__dirname, '../runs/fixtures/support-desk-succeeded.history.json'), 'utf8')) as {
    events: HistoryEventLike[];
  };
  h.executions.history = async () => events as never;
  for (const turn of [1, 2])
    await h.deps.audit.append('run-1', 'model.called', { agentId: 'triage', model: 'm', turn, inputTokens: 100, outputTokens: 10, costUsd: 0.001 });
  h.executions.add('run-1', 'support-desk', 'SUCCEEDED', T0);
  const maya = await signIn(h, 'maya@kestrel.example');
  const page = await maya.get('/console/runs/run-1');
  expect(page.status).toBe(200);
  const table = /<h2[^>]*>Model calls<\/h2>.*?<table>(.*?)<\/table>/s.exec(page.html)![1];
  const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => cells(m[1]));
  expect(rows).toHaveLength(4);
  for (const row of rows) expect(row).toEqual(['cell', 'opt', 'cell', 'cell', 'cell']);
  expect(page.html).toMatch(/<ol class="timeline" start="1"><li id="t-0">/);
});

it('a list numbered past 99 says how many digits its numbers have, and the look gives each room for them and ". "', () => {
  expect([1, 99, 100, 999, 1000, 300_000, 12_345_678].map(timelineClass)).toEqual([
    'timeline',
    'timeline',
    'timeline d3',
    'timeline d3',
    'timeline d4',
    'timeline d6',
    'timeline d7',
  ]);
  expect(CONSOLE_LOOK.css).toContain('ol.timeline{padding-left:4ch;');
  // and a long word (a tool's JSON result) breaks rather than widening the page past a phone's screen
  expect(CONSOLE_LOOK.css).toMatch(/main\{[^}]*overflow-wrap:break-word/);
  for (let digits = 3; digits <= 7; digits++) expect(CONSOLE_LOOK.css).toContain(`ol.timeline.d${digits}{padding-left:${digits + 2}ch}`);
});
