/**
 * The run page stays under the console's page budget however long the run:
 * the first and latest turns on the run page, older turns on `?turns=`
 * pages, the end of the timeline on the run page and the rest on
 * `?timeline=` pages; every turn and line reachable by following the links,
 * model text escaped everywhere, bad ranges a clear 400.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConversationStore } from '../../../shared/agents/conversation-store';
import { promptAgentOf } from '../../../shared/agents/json-schema';
import type { AslDocument } from '../../../shared/compiler/asl';
import {
  LATEST_TIMELINE_LINES,
  LATEST_TURNS,
  runPartOf,
  TIMELINE_LINES_PER_PAGE,
  TURNS_PER_PAGE,
  turnPages,
  turnsOnRunPage,
} from '../../../shared/console/run-paging';
import { layoutStateGraph } from '../../../shared/console/graph-layout';
import { stateGraph } from '../../../shared/console/state-graph';
import { renderTimeline, type HistoryEventLike } from '../../../shared/run-timeline';
import { consoleHarness, signIn, T0, type Browser } from './console-harness';

const BUDGET = 100 * 1024;
const asl = JSON.parse(readFileSync(path.join(__dirname, '../../golden/asl/support-desk.asl.json'), 'utf8')) as AslDocument;
const AGENT = { id: 'triage', instructions: 'You triage support tickets for Kestrel Coffee.', output: z.object({ resolution: z.string() }) };

/** A conversation of `turns` turns: on each, the agent says something with markup in it and looks an order up; the last answers. */
async function longRun(turns: number): Promise<{ h: ReturnType<typeof consoleHarness>; maya: Browser }> {
  const h = consoleHarness();
  const store = new ConversationStore(h.state);
  const ref = { runId: 'run-long', agentId: 'triage', stepId: 'triage' };
  await store.saveContext(ref, { knowledge: [{ namespace: 'policies', source: 'refunds.md', title: 'Refunds', text: 'Refund orders that never arrived.' }] });
  let seq = 0;
  await store.append(ref, { seq: ++seq, turn: 1, message: { role: 'user', content: [{ text: 'Ticket: my order never came' }] } });
  for (let turn = 1; turn <= turns; turn++) {
    const last = turn === turns;
    await store.append(ref, {
      seq: ++seq,
      turn,
      message: {
        role: 'assistant',
        content: last
          ? [{ text: '{"resolution":"<script>done</script>"}' }]
          : [{ text: `Looking again <b>turn-${turn}</b>` }, { toolUse: { toolUseId: `tu-${turn}`, name: 'orders_lookup', input: { orderId: `KC-${turn}` } } }],
      },
    });
    if (!last)
      await store.append(ref, {
        seq: ++seq,
        turn,
        message: { role: 'user', content: [{ toolResult: { toolUseId: `tu-${turn}`, content: [{ text: `order KC-${turn} is lost` }], status: 'success' } }] },
      });
    await h.deps.audit.append('run-long', 'model.called', { agentId: 'triage', model: 'm', turn, inputTokens: 100, outputTokens: 10, costUsd: 0.001 });
    if (!last) {
      await h.deps.audit.append('run-long', 'rights.evaluated', {
        tool: 'orders.lookup',
        agentId: 'triage',
        toolUseId: `tu-${turn}`,
        decision: 'allow',
        ruleId: 'reads',
        reason: 'reading is allowed',
        inputDigest: 'd',
      });
    }
  }
  h.executions.add('run-long', 'support-desk', 'SUCCEEDED', T0);
  h.deps.definition.promptAgents = [promptAgentOf(AGENT)];
  h.deps.definition.toolIds = ['orders.lookup'];
  return { h, maya: await signIn(h, 'maya@kestrel.example') };
}

const turnsIn = (html: string): number[] => [...html.matchAll(/<div class="turn" id="turn-(\d+)">/g)].map((m) => Number(m[1]));
const hrefsIn = (html: string, param: string): string[] => [
  ...new Set([...html.matchAll(new RegExp(`href="(/console/runs/run-long\\?${param}=[^"#]+)`, 'g'))].map((m) => m[1])),
];

describe('run page paging', () => {
  test('the query: a range of at most TURNS_PER_PAGE turns, or a timeline page; anything else is refused', () => {
    expect(runPartOf({})).toEqual({ kind: 'run' });
    expect(runPartOf({ turns: '11-20' })).toEqual({ kind: 'turns', from: 11, to: 20 });
    expect(runPartOf({ timeline: '3' })).toEqual({ kind: 'timeline', page: 3 });
    for (const turns of ['0-5', '5-4', '1-11', 'x', '1-', '<b>']) expect(() => runPartOf({ turns })).toThrow(/turns must be a range/);
    expect(() => runPartOf({ timeline: '0' })).toThrow(/timeline must be a page number/);
    expect(() => runPartOf({ turns: '1-2', timeline: '1' })).toThrow(/not both/);
    expect([...turnsOnRunPage([1, 2, 3])]).toEqual([1, 2, 3]);
    expect([...turnsOnRunPage(Array.from({ length: 50 }, (_, i) => i + 1))]).toEqual([1, 46, 47, 48, 49, 50]);
    expect(turnPages([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).toEqual([
      { from: 1, to: 10 },
      { from: 11, to: 12 },
    ]);
  });

  test.each([50, 500])(
    '%i turns: the run page has the first and latest turns, every other turn is one link away, every page is under 100 KiB and escaped',
    async (turns) => {
      const { maya } = await longRun(turns);
      const run = await maya.get('/console/runs/run-long');
      expect(run.status).toBe(200);
      expect(Buffer.byteLength(run.html)).toBeLessThan(BUDGET);
      const latest = Array.from({ length: LATEST_TURNS }, (_, i) => turns - LATEST_TURNS + 1 + i);
      expect(turnsIn(run.html)).toEqual([1, ...latest]);
      expect(run.html).toContain('You triage support tickets for Kestrel Coffee.');
      expect(run.html).toContain('Refund orders that never arrived.');
      expect(run.html).toContain('&lt;script&gt;done&lt;/script&gt;');
      expect(run.html).toContain(`Turns 2–${turns - LATEST_TURNS} are on their own pages`);
      // The latest model calls only, with the total of all of them.
      expect(run.html).toContain(`The latest 5 of ${turns}, and the total of all`);
      expect(run.html).toContain(`<th>${turns * 100} / ${turns * 10}</th>`);

      const seen = new Set(turnsIn(run.html));
      const pages = hrefsIn(run.html, 'turns');
      expect(pages).toHaveLength(Math.ceil((turns - LATEST_TURNS) / TURNS_PER_PAGE));
      for (const href of pages) {
        const res = await maya.get(href.replace(/&amp;/g, '&'));
        expect(res.status).toBe(200);
        expect(Buffer.byteLength(res.html)).toBeLessThan(BUDGET);
        expect(res.html).not.toMatch(/<b>turn-|<script>done/);
        for (const n of turnsIn(res.html)) {
          seen.add(n);
          if (n < turns) expect(res.html).toContain(`Looking again &lt;b&gt;turn-${n}&lt;/b&gt;`);
        }
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: turns }, (_, i) => i + 1));

      // A turns page links to its neighbours; the last one carries the final answer.
      const last = await maya.get(`/console/runs/run-long?turns=${turns - 9}-${turns}`);
      expect(last.html).toContain('rel="prev"');
      expect(last.html).toContain('&lt;script&gt;done&lt;/script&gt;');
    },
  );

  test('a bad range is a 400 that says what it takes; the turns page of a run is for those who may see the run', async () => {
    const { h, maya } = await longRun(12);
    const bad = await maya.get('/console/runs/run-long?turns=1-500');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain(`at most ${TURNS_PER_PAGE} turns`);
    const sam = await signIn(h, 'sam@kestrel.example');
    expect((await sam.get('/console/runs/run-long?turns=1-10')).status).toBe(403);
  });

  test('a long timeline: its end on the run page, the rest on timeline pages, and a graph state links to the page holding its line', async () => {
    const { h, maya } = await longRun(3);
    let id = 0;
    const ev = (type: string, name?: string): HistoryEventLike & Record<string, unknown> => {
      id += 1;
      const key = type.endsWith('StateEntered')
        ? 'stateEnteredEventDetails'
        : type.endsWith('StateExited')
          ? 'stateExitedEventDetails'
          : 'executionStartedEventDetails';
      return { id, previousEventId: id - 1, type, timestamp: new Date(T0.getTime() + id * 1000), [key]: name ? { name } : {} };
    };
    const history = [ev('ExecutionStarted'), ev('PassStateEntered', 'Run: prepare'), ev('PassStateExited', 'Run: prepare')];
    for (let i = 0; i < 400; i++) history.push(ev('TaskStateEntered', 'Triage: think'), ev('TaskStateExited', 'Triage: think'));
    (h.executions as { history: () => Promise<HistoryEventLike[]> }).history = async () => history;
    h.deps.definition.graphOf = () => layoutStateGraph(stateGraph(asl));
    const lines = renderTimeline(history).length;
    expect(lines).toBeGreaterThan(LATEST_TIMELINE_LINES + TIMELINE_LINES_PER_PAGE);

    const run = await maya.get('/console/runs/run-long');
    expect(Buffer.byteLength(run.html)).toBeLessThan(BUDGET);
    const onRunPage = [...run.html.matchAll(/<li id="t-(\d+)">/g)].map((m) => Number(m[1]));
    expect(onRunPage).toEqual(Array.from({ length: LATEST_TIMELINE_LINES }, (_, i) => lines - LATEST_TIMELINE_LINES + i));
    // "Run: prepare" was entered on line 1 (0-based), long before the run page's lines.
    // The start state carries the id the narrow screen's hint links to.
    expect(run.html).toMatch(/<g class="[^"]*" id="graph-start" data-state="Run: prepare"><a href="\/console\/runs\/run-long\?timeline=1#t-1">/);

    const seen = new Set(onRunPage);
    for (const href of hrefsIn(run.html, 'timeline')) {
      const res = await maya.get(href);
      expect(res.status).toBe(200);
      expect(Buffer.byteLength(res.html)).toBeLessThan(BUDGET);
      for (const m of res.html.matchAll(/<li id="t-(\d+)">/g)) seen.add(Number(m[1]));
    }
    expect(seen.size).toBe(lines);
    expect((await maya.get('/console/runs/run-long?timeline=99')).html).toContain('no page 99');
  });
});
