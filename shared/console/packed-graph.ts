/**
 * A laid-out state graph (graph-layout.ts) as the console Lambda carries it:
 * tuples instead of objects, so the key names are not repeated for each of a
 * workflow's hundred states and edges (about a third of the example's graph
 * data), each state's type as its index in `STATE_TYPES` and its height only
 * where it differs from the graph's usual one. Packed at synth
 * (infra/definition-entries.ts), each unpacked when a page first draws it (not
 * while the Lambda loads, where most requests never need a graph); the local
 * runtime keeps the layout as it is.
 */
import type { Box, GraphLayout } from './graph-layout';

type Node = GraphLayout['nodes'][number];
type Edge = GraphLayout['edges'][number];

/** The state types, by the index a packed node gives. */
const STATE_TYPES: readonly Node['type'][] = ['Task', 'Pass', 'Choice', 'Succeed', 'Fail', 'Wait', 'Map', 'Parallel'];

export interface PackedGraph {
  /** Width, height, and the height of a state (the one most have). */
  size: readonly [width: number, height: number, nodeHeight: number];
  start: string;
  groups: readonly (readonly [id: string, label: string, ...box: Box])[];
  /** `[id, type's index, x, y, width]`, and the height when it is not `size[2]`. */
  nodes: readonly (readonly [id: string, type: number, x: number, y: number, width: number, height?: number])[];
  /** `[from, to, path]`, and what only some edges have (label, error, label position) as a fourth element. */
  edges: readonly (
    readonly [from: number, to: number, path: string] | readonly [from: number, to: number, path: string, extra: Omit<Edge, 'from' | 'to' | 'path'>]
  )[];
}

export function packGraph(g: GraphLayout): PackedGraph {
  const nodeHeight = g.nodes[0]?.box[3] ?? 0;
  return {
    size: [g.width, g.height, nodeHeight],
    start: g.start,
    groups: g.groups.map((group) => [group.id, group.label, ...group.box] as const),
    nodes: g.nodes.map(({ id, type, box: [x, y, width, height] }) =>
      height === nodeHeight ? ([id, STATE_TYPES.indexOf(type), x, y, width] as const) : ([id, STATE_TYPES.indexOf(type), x, y, width, height] as const),
    ),
    edges: g.edges.map(({ from, to, path, ...extra }) => (Object.keys(extra).length ? ([from, to, path, extra] as const) : ([from, to, path] as const))),
  };
}

export function unpackGraph(p: PackedGraph): GraphLayout {
  return {
    width: p.size[0],
    height: p.size[1],
    start: p.start,
    groups: p.groups.map(([id, label, ...box]) => ({ id, label, box })),
    nodes: p.nodes.map(([id, type, x, y, width, height = p.size[2]]) => ({ id, type: STATE_TYPES[type], box: [x, y, width, height] })),
    edges: p.edges.map(([from, to, path, extra]) => ({ from, to, ...extra, path })),
  };
}

/** A workflow of the console's slice whose graph is unpacked on first read, once (what the generated entry maps its workflows through). */
export function withUnpackedGraph<W extends { graph: PackedGraph }>(w: W): Omit<W, 'graph'> & { graph: GraphLayout } {
  const { graph: packed, ...rest } = w;
  let graph: GraphLayout | undefined;
  return {
    ...rest,
    get graph() {
      return (graph ??= unpackGraph(packed));
    },
  };
}
