/**
 * A laid-out state graph (graph-layout.ts) as the console Lambda carries it:
 * tuples instead of objects, so the key names are not repeated for each of a
 * workflow's hundred states and edges (about a third of the example's graph
 * data), each state's type as its index in `STATE_TYPES` and its height only
 * where it differs from the graph's usual one, each edge's path as numbers
 * (every point after the first as the step from the one before) and its label
 * as numbers beside it. Packed at synth
 * (infra/definition-entries.ts), each unpacked when a page first draws it (not
 * while the Lambda loads, where most requests never need a graph); the local
 * runtime keeps the layout as it is.
 */
import type { Box, GraphLayout } from './graph-layout';

type Node = GraphLayout['nodes'][number];

/** The state types, by the index a packed node gives. */
const STATE_TYPES: readonly Node['type'][] = ['Task', 'Pass', 'Choice', 'Succeed', 'Fail', 'Wait', 'Map', 'Parallel'];

export interface PackedGraph {
  /** Width, height, and the height of a state (the one most have). */
  size: readonly [width: number, height: number, nodeHeight: number];
  start: string;
  groups: readonly (readonly [id: string, label: string, ...box: Box])[];
  /** `[id, type's index, x, y, width]`, and the height when it is not `size[2]`. */
  nodes: readonly (readonly [id: string, type: number, x: number, y: number, width: number, height?: number])[];
  /**
   * `[from, to, path]` (`pathSteps`), and what only some edges have: the label (0 for none), 1 for an error edge (else 0),
   * and where the label goes.
   */
  edges: readonly (
    | readonly [from: number, to: number, path: readonly number[]]
    | readonly [from: number, to: number, path: readonly number[], label: string | 0, error: 0 | 1, labelX?: number, labelY?: number]
  )[];
}

/** An SVG path of straight lines (graph-layout.ts's `edgePath`) as numbers: the first point, then each point's step from the one before. */
function pathSteps(path: string): number[] {
  const n = path.slice(1).split(/[L ]/).map(Number);
  return n.map((v, i) => (i < 2 ? v : v - n[i - 2]));
}

function pathOfSteps(steps: readonly number[]): string {
  let [x, y, d] = [0, 0, ''];
  for (let i = 0; i < steps.length; i += 2) {
    [x, y] = [x + steps[i], y + steps[i + 1]];
    d += `${i ? 'L' : 'M'}${x} ${y}`;
  }
  return d;
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
    edges: g.edges.map(({ from, to, path, label, error, labelAt }) =>
      label === undefined && !error && !labelAt
        ? ([from, to, pathSteps(path)] as const)
        : labelAt
          ? ([from, to, pathSteps(path), label ?? 0, error ? 1 : 0, labelAt.x, labelAt.y] as const)
          : ([from, to, pathSteps(path), label ?? 0, error ? 1 : 0] as const),
    ),
  };
}

export function unpackGraph(p: PackedGraph): GraphLayout {
  return {
    width: p.size[0],
    height: p.size[1],
    start: p.start,
    groups: p.groups.map(([id, label, ...box]) => ({ id, label, box })),
    nodes: p.nodes.map(([id, type, x, y, width, height = p.size[2]]) => ({ id, type: STATE_TYPES[type], box: [x, y, width, height] })),
    edges: p.edges.map(([from, to, steps, label, error, x, y]) => ({
      from,
      to,
      ...(label ? { label } : {}),
      ...(error ? { error: true } : {}),
      path: pathOfSteps(steps),
      ...(x !== undefined && y !== undefined ? { labelAt: { x, y } } : {}),
    })),
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
