/**
 * A workflow's state graph laid out by dagre, as plain data: boxes for the
 * states and groups, paths for the edges. The layout of a compiled workflow
 * does not change between runs, so it is computed once where the definition
 * is at hand (at synth for the console Lambda, which then carries the
 * coordinates and not dagre; at start for the local runtime) and every run
 * page draws its path over the same picture.
 *
 * A state a run can enter more than once (on a loop, such as an agent's
 * think step, or inside a Map) gets room for its count (`×12`), so the
 * picture need not move when a run fills it in.
 */
import dagre from '@dagrejs/dagre';
import type { GraphNode, StateGraph } from './state-graph';

/** x and y of the top-left corner, width, height (a tuple: the console carries one per state). */
export type Box = readonly [x: number, y: number, width: number, height: number];

export interface GraphLayout {
  width: number;
  height: number;
  start: string;
  groups: { id: string; label: string; box: Box }[];
  nodes: { id: string; type: GraphNode['type']; box: Box }[];
  /** `from` and `to` index `nodes` (each state's name is carried once); `path`: the SVG path data of the edge's line. */
  edges: { from: number; to: number; label?: string; error?: boolean; path: string; labelAt?: { x: number; y: number } }[];
}

/** Width of one character of a state's label, in the SVG's units. */
export const LABEL_CHAR_WIDTH = 7.2;
const NODE_H = 34;
/** Room kept for a count after a repeatable state's name (` ×99`). */
const COUNT_ROOM = ' ×99'.length;

// Whole units: the picture is drawn at 1 unit per CSS pixel, so nothing visible is lost, and the console carries less.
const round = (n: number) => Math.round(n);

/** The SVG path through `points`, without the points that lie on the line between their neighbours (dagre puts one per rank). */
export function edgePath(points: readonly { x: number; y: number }[]): string {
  const p = points.map((q) => ({ x: round(q.x), y: round(q.y) }));
  const kept = p.filter((q, i) => {
    if (i === 0 || i === p.length - 1) return true;
    const [a, b] = [p[i - 1], p[i + 1]];
    const onLine = (q.x - a.x) * (b.y - a.y) === (q.y - a.y) * (b.x - a.x);
    const between = (q.x - a.x) * (b.x - q.x) >= 0 && (q.y - a.y) * (b.y - q.y) >= 0;
    return !(onLine && between);
  });
  return kept.map((q, k) => `${k ? 'L' : 'M'}${q.x} ${q.y}`).join('');
}

/** States a run may enter more than once: inside a Map, or on a cycle of the graph. */
export function repeatableStates(graph: StateGraph): Set<string> {
  const inMap = new Set(graph.groups.filter((g) => g.label.startsWith('Map: ')).map((g) => g.id));
  const within = (parent: string | undefined): boolean => {
    for (let p = parent; p !== undefined; p = graph.groups.find((g) => g.id === p)?.parent) if (inMap.has(p)) return true;
    return false;
  };
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const reachesItself = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(next.get(start) ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === start) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(next.get(id) ?? []));
    }
    return false;
  };
  return new Set(graph.nodes.filter((n) => within(n.parent) || reachesItself(n.id)).map((n) => n.id));
}

/** The graph laid out top to bottom by dagre. */
export function layoutStateGraph(graph: StateGraph): GraphLayout {
  const repeatable = repeatableStates(graph);
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const group of graph.groups) g.setNode(`group:${group.id}`, { label: group.label, paddingTop: 24 });
  for (const group of graph.groups) if (group.parent) g.setParent(`group:${group.id}`, `group:${group.parent}`);
  for (const n of graph.nodes) {
    const chars = n.id.length + (repeatable.has(n.id) ? COUNT_ROOM : 0);
    g.setNode(n.id, { width: Math.min(320, Math.max(60, chars * LABEL_CHAR_WIDTH + 24)), height: NODE_H });
    if (n.parent) g.setParent(n.id, `group:${n.parent}`);
  }
  graph.edges.forEach((e, i) =>
    g.setEdge(e.from, e.to, { label: e.label ?? '', width: e.label ? Math.min(160, e.label.length * 6) : 0, height: e.label ? 14 : 0 }, `e${i}`),
  );
  dagre.layout(g);
  const box = (id: string): Box => {
    const b = g.node(id) as { x: number; y: number; width: number; height: number };
    return [round(b.x - b.width / 2), round(b.y - b.height / 2), round(b.width), round(b.height)];
  };
  const size = g.graph() as { width?: number; height?: number };
  const indexOf = new Map(graph.nodes.map((n, i) => [n.id, i]));
  return {
    width: Math.ceil(size.width ?? 100),
    height: Math.ceil(size.height ?? 100),
    start: graph.start,
    groups: graph.groups.map((group) => ({ id: group.id, label: group.label, box: box(`group:${group.id}`) })),
    nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, box: box(n.id) })),
    edges: graph.edges.map((e, i) => {
      const edge = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points: { x: number; y: number }[]; x?: number; y?: number };
      return {
        from: indexOf.get(e.from)!,
        to: indexOf.get(e.to)!,
        ...(e.label ? { label: e.label } : {}),
        ...(e.error ? { error: true } : {}),
        path: edgePath(edge.points),
        ...(e.label && edge.x !== undefined ? { labelAt: { x: round(edge.x), y: round(edge.y ?? 0) } } : {}),
      };
    }),
  };
}
