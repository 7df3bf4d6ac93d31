/**
 * The run as a picture: the compiled support-desk machine as a graph (every
 * state drawn, the agent's act Map and the run's Parallel as groups), the
 * path a run took read from its history, and the SVG (dagre's layout).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AslDocument } from '../../../shared/compiler/asl';
import { edgePath, layoutStateGraph, repeatableStates } from '../../../shared/console/graph-layout';
import { renderStateGraph, runMarks, stateGraph } from '../../../shared/console/state-graph';
import { timelineIndexOf } from '../../../shared/console/workflow-view';
import type { HistoryEventLike } from '../../../shared/run-timeline';

const asl = JSON.parse(readFileSync(path.join(__dirname, '../../golden/asl/support-desk.asl.json'), 'utf8')) as AslDocument;

function allStates(scope: { States: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(scope.States).flatMap(([name, s]) => [
    name,
    ...(s.Type === 'Map' ? allStates((s.ItemProcessor ?? s.Iterator) as never) : []),
    ...(s.Type === 'Parallel' ? (s.Branches as never[]).flatMap((b) => allStates(b)) : []),
  ]);
}

let id = 0;
const ev = (type: string, name?: string): HistoryEventLike & Record<string, unknown> => {
  id += 1;
  const key = type.endsWith('StateEntered')
    ? 'stateEnteredEventDetails'
    : type.endsWith('StateExited')
      ? 'stateExitedEventDetails'
      : `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
  return { id, previousEventId: id - 1, type, timestamp: new Date(Date.UTC(2026, 11, 6, 10, 0, id)), [key]: name ? { name } : {} };
};

describe('state graph', () => {
  test('every state of the compiled machine is a node or a group; Map and Parallel are groups holding their states', () => {
    const g = stateGraph(asl);
    const drawn = new Set([...g.nodes.map((n) => n.id), ...g.groups.map((x) => x.id)]);
    for (const name of allStates(asl)) expect(drawn.has(name)).toBe(true);
    expect(g.groups.map((x) => x.id)).toEqual(expect.arrayContaining(['Run', 'Triage: act']));
    expect(g.nodes.find((n) => n.id === 'Triage: check rights')?.parent).toBe('Triage: act');
    expect(g.nodes.find((n) => n.id === 'Triage: think')?.parent).toBe('Run');
    // Into the act Map means into its first state; out of it means from its end states back to think.
    expect(g.edges).toContainEqual({ from: 'Triage: done?', to: 'Triage: check rights', label: 'otherwise' });
    expect(g.edges).toContainEqual({ from: 'Triage: denied', to: 'Triage: think' });
    expect(g.start).toBe('Run: prepare');
    // Every edge joins drawn nodes.
    const nodes = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) expect([nodes.has(e.from), nodes.has(e.to)]).toEqual([true, true]);
  });

  test('the path from the history: entered counts (turns), the failed state, the current state of a running run', () => {
    id = 0;
    const history = [
      ev('ExecutionStarted'),
      ev('PassStateEntered', 'Run: prepare'),
      ev('PassStateExited', 'Run: prepare'),
      ev('ParallelStateEntered', 'Run'),
      ev('TaskStateEntered', 'Triage: think'),
      ev('TaskStateExited', 'Triage: think'),
      ev('MapStateEntered', 'Triage: act'),
      ev('TaskStateEntered', 'Triage: check rights'),
      ev('TaskStateExited', 'Triage: check rights'),
      ev('MapStateExited', 'Triage: act'),
      ev('TaskStateEntered', 'Triage: think'),
      ev('TaskFailed'),
      ev('ExecutionFailed'),
    ];
    const marks = runMarks(history, false);
    expect(marks.entered.get('Triage: think')).toBe(2);
    expect(marks.entered.has('Done')).toBe(false);
    expect([...marks.failed].sort()).toEqual(['Run', 'Triage: think']);
    expect(marks.current.size).toBe(0);
    const running = runMarks(history.slice(0, 9), true);
    expect([...running.current].sort()).toEqual(['Run', 'Triage: act']);
    expect(running.failed.size).toBe(0);

    const svg = renderStateGraph(layoutStateGraph(stateGraph(asl)), marks, (s) => (s === 'Triage: think' ? '#t-3' : undefined));
    expect(svg).toMatch(/<g class="node task taken failed" data-state="Triage: think"><a href="#t-3">/);
    expect(svg).toContain('Triage: think ×2');
    expect(svg).toMatch(/<g class="node succeed" data-state="Done">/);
    expect(svg).toMatch(/<g class="group taken failed" data-state="Run">/);
    expect(svg).not.toMatch(/style=|NaN/);
  });

  test('the layout is data made once: the same picture with or without a run, with room for counts on the states a run repeats', () => {
    const layout = layoutStateGraph(stateGraph(asl));
    expect(JSON.parse(JSON.stringify(layout))).toEqual(layout);
    const repeatable = repeatableStates(stateGraph(asl));
    // The think step is on the agent's loop, the rights check inside the act Map; the run's preparation happens once.
    expect([repeatable.has('Triage: think'), repeatable.has('Triage: check rights'), repeatable.has('Run: prepare')]).toEqual([true, true, false]);
    const box = (id: string) => layout.nodes.find((n) => n.id === id)!.box;
    expect(box('Triage: think')[2]).toBeGreaterThanOrEqual(Math.round('Triage: think ×99'.length * 7.2 + 24));
    const withoutRun = renderStateGraph(layout, undefined);
    const withRun = renderStateGraph(layout, runMarks([ev('ExecutionStarted'), ev('PassStateEntered', 'Run: prepare')], true));
    const rects = (svg: string) => [...svg.matchAll(/<rect [^>]*>/g)].map((m) => m[0]);
    expect(rects(withRun)).toEqual(rects(withoutRun));
    // Edges name their states by index, each name carried once.
    const think = layout.nodes.findIndex((n) => n.id === 'Triage: think');
    expect(layout.edges.some((e) => e.to === think)).toBe(true);
  });

  test("an edge's path keeps its corners and drops the points dagre puts on a straight run", () => {
    const p = (x: number, y: number) => ({ x, y });
    expect(edgePath([p(0, 0), p(0, 10.2), p(0, 20), p(10, 20), p(20, 20.4)])).toBe('M0 0L0 20L20 20');
    // A point where the line turns back is a corner, not on the way.
    expect(edgePath([p(0, 0), p(10, 0), p(5, 0)])).toBe('M0 0L10 0L5 0');
  });

  test('a state links to its first timeline line', () => {
    expect(timelineIndexOf(['+0s started', '+1s Triage: think entered', '+2s Triage: think entered'], 'Triage: think')).toBe(1);
    expect(timelineIndexOf(['+0s started'], 'Done')).toBeUndefined();
    expect(timelineIndexOf(['+0s ▸ Run: prepare (Pass)', '+1s ▸ Run (Parallel)'], 'Run')).toBe(1);
  });
});
