/**
 * A laid-out state graph (graph-layout.ts) as the console Lambda carries it:
 * tuples instead of objects, so the key names are not repeated for each of a
 * workflow's hundred states and edges (about a third of the example's graph
 * data). Packed at synth (infra/definition-entries.ts), unpacked once when the
 * Lambda loads; the local runtime keeps the layout as it is.
 */
import type { Box, GraphLayout } from './graph-layout';

type Node = GraphLayout['nodes'][number];
type Edge = GraphLayout['edges'][number];

export interface PackedGraph {
  size: readonly [width: number, height: number];
  start: string;
  groups: readonly (readonly [id: string, label: string, ...box: Box])[];
  nodes: readonly (readonly [id: string, type: Node['type'], ...box: Box])[];
  /** `[from, to, path]`, and what only some edges have (label, error, label position) as a fourth element. */
  edges: readonly (
    readonly [from: number, to: number, path: string] | readonly [from: number, to: number, path: string, extra: Omit<Edge, 'from' | 'to' | 'path'>]
  )[];
}

export function packGraph(g: GraphLayout): PackedGraph {
  return {
    size: [g.width, g.height],
    start: g.start,
    groups: g.groups.map((group) => [group.id, group.label, ...group.box] as const),
    nodes: g.nodes.map((n) => [n.id, n.type, ...n.box] as const),
    edges: g.edges.map(({ from, to, path, ...extra }) => (Object.keys(extra).length ? ([from, to, path, extra] as const) : ([from, to, path] as const))),
  };
}

export function unpackGraph(p: PackedGraph): GraphLayout {
  return {
    width: p.size[0],
    height: p.size[1],
    start: p.start,
    groups: p.groups.map(([id, label, ...box]) => ({ id, label, box })),
    nodes: p.nodes.map(([id, type, ...box]) => ({ id, type, box })),
    edges: p.edges.map(([from, to, path, extra]) => ({ from, to, ...extra, path })),
  };
}

/** A workflow of the console's slice with its graph unpacked (what the generated entry maps its workflows through). */
export function withUnpackedGraph<W extends { graph: PackedGraph }>(w: W): Omit<W, 'graph'> & { graph: GraphLayout } {
  return { ...w, graph: unpackGraph(w.graph) };
}
