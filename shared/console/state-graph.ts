/**
 * A workflow's state machine as a picture: the compiled ASL turned into
 * nodes and edges (Map and Parallel as groups holding their inner states),
 * laid out once (graph-layout.ts), and — with a run — the path it took from its history:
 * states entered (with how often: an agent's think step once per turn),
 * the state it is in, the states that failed. Rendered as SVG on the
 * server; each state links to its first line in the run's timeline.
 */
import type { AslScope, AslState } from '../compiler/asl';
import type { Box, GraphLayout } from './graph-layout';
import { toTimelineEvents, type HistoryEventLike } from '../run-timeline/history-event';
import { escapeHtml } from './pages/layout';

export interface GraphNode {
  id: string;
  type: AslState['Type'];
  /** The Map or Parallel (or Parallel branch) that holds it. */
  parent?: string;
}

export interface GraphGroup {
  id: string;
  label: string;
  parent?: string;
}

export interface StateGraph {
  nodes: GraphNode[];
  groups: GraphGroup[];
  edges: { from: string; to: string; label?: string; error?: boolean }[];
  start: string;
}

/** Where a scope enters and which of its states end it (to join edges across groups). */
interface ScopeEnds {
  start: string;
  ends: string[];
}

/**
 * The states of `asl` as a graph. A Map or Parallel becomes a group: edges
 * into it go to its first inner state, edges out of it leave from its inner
 * end states.
 */
export function stateGraph(asl: AslScope): StateGraph {
  const g: StateGraph = { nodes: [], groups: [], edges: [], start: '' };
  const pending: { from: string; to: string; label?: string; error?: boolean; fork?: boolean }[] = [];
  const scopeEnds = new Map<string, ScopeEnds>();

  const walk = (scope: AslScope, parent: string | undefined): ScopeEnds => {
    const ends: string[] = [];
    for (const [name, state] of Object.entries(scope.States)) {
      const nexts: { to: string; label?: string; error?: boolean }[] = [];
      if (typeof state.Next === 'string') nexts.push({ to: state.Next });
      if (state.Type === 'Choice') {
        for (const c of (state.Choices as { Next: string }[] | undefined) ?? []) nexts.push({ to: c.Next });
        if (typeof state.Default === 'string') nexts.push({ to: state.Default, label: 'otherwise' });
      }
      for (const c of (state.Catch as { Next: string; ErrorEquals?: string[] }[] | undefined) ?? [])
        nexts.push({ to: c.Next, label: (c.ErrorEquals ?? []).join(', ') || 'error', error: true });
      if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') ends.push(name);
      if (state.Type === 'Map' || state.Type === 'Parallel') {
        g.groups.push({ id: name, label: `${state.Type === 'Map' ? 'Map' : 'Parallel'}: ${name}`, ...(parent ? { parent } : {}) });
        const inner: ScopeEnds[] = [];
        if (state.Type === 'Map') {
          const processor = (state.ItemProcessor ?? state.Iterator) as AslScope | undefined;
          if (processor) inner.push(walk(processor, name));
        } else {
          const branches = (state.Branches as AslScope[] | undefined) ?? [];
          branches.forEach((branch, i) => {
            if (branches.length === 1) return void inner.push(walk(branch, name));
            const id = `${name} · branch ${i + 1}`;
            g.groups.push({ id, label: `branch ${i + 1}`, parent: name });
            inner.push(walk(branch, id));
          });
        }
        if (inner.length > 1) {
          // A Parallel fans out to every branch from its own node inside its group.
          scopeEnds.set(name, { start: name, ends: inner.flatMap((s) => s.ends) });
          g.nodes.push({ id: name, type: state.Type, parent: name });
          for (const s of inner) pending.push({ from: name, to: s.start, fork: true });
        } else {
          scopeEnds.set(name, { start: inner[0]?.start ?? name, ends: inner.flatMap((s) => s.ends) });
        }
      } else {
        g.nodes.push({ id: name, type: state.Type, ...(parent ? { parent } : {}) });
      }
      for (const n of nexts) pending.push({ from: name, ...n });
    }
    return { start: scope.StartAt, ends };
  };
  const top = walk(asl, undefined);
  const entry = (id: string): string => {
    const s = scopeEnds.get(id);
    return s && s.start !== id ? entry(s.start) : id;
  };
  const exits = (id: string): string[] => {
    const s = scopeEnds.get(id);
    return s ? s.ends.flatMap((e) => (scopeEnds.has(e) ? exits(e) : [e])) : [id];
  };
  g.start = entry(top.start);
  for (const e of pending) {
    const to = entry(e.to);
    // An error leaving a group is drawn from its Fail states when it has any (its normal ends do not raise it).
    const ends = e.fork ? [e.from] : exits(e.from);
    const fails = e.error && scopeEnds.has(e.from) ? ends.filter((id) => g.nodes.find((n) => n.id === id)?.type === 'Fail') : [];
    const froms = fails.length ? fails : ends;
    for (const from of froms) g.edges.push({ from, to, ...(e.label ? { label: e.label } : {}), ...(e.error ? { error: true } : {}) });
  }
  return g;
}

/** What a run did to each state. */
export interface RunMarks {
  /** Times each state was entered. */
  entered: Map<string, number>;
  failed: Set<string>;
  /** States entered and not yet left (a run in progress). */
  current: Set<string>;
}

const ENTERED = /StateEntered$/;
const EXITED = /StateExited$/;
const FAILURE = /(Failed|TimedOut|Aborted)$/;

/** Reads the path a run took from its history. */
export function runMarks(history: readonly HistoryEventLike[], running: boolean): RunMarks {
  const marks: RunMarks = { entered: new Map(), failed: new Set(), current: new Set() };
  const open = new Map<string, number>();
  // A failure that the state machine caught and moved on from (the state exited) is not where the run failed.
  const failing = new Set<string>();
  let last: string | undefined;
  for (const e of toTimelineEvents(history)) {
    const name = typeof e.details.name === 'string' ? e.details.name : undefined;
    if (ENTERED.test(e.type) && name) {
      marks.entered.set(name, (marks.entered.get(name) ?? 0) + 1);
      open.set(name, (open.get(name) ?? 0) + 1);
      last = name;
    } else if (EXITED.test(e.type) && name) {
      open.set(name, Math.max(0, (open.get(name) ?? 0) - 1));
      failing.delete(name);
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(e.type)) {
      for (const [n, count] of open) if (count > 0) failing.add(n);
    } else if (FAILURE.test(e.type) && last) {
      failing.add(last);
    }
  }
  for (const n of failing) marks.failed.add(n);
  if (running) for (const [n, count] of open) if (count > 0) marks.current.add(n);
  return marks;
}

/** The widest picture a desktop frame shows whole (the page's 1100px column less its padding and the frame's). */
const DESKTOP_FRAME_WIDTH = 1050;

function nodeLabel(id: string, entered: number): string {
  return entered > 1 ? `${id} ×${entered}` : id;
}

/**
 * The laid-out graph (graph-layout.ts) as SVG, with a run's path when
 * `marks` are given. `link(state)` gives the href a state links to (its
 * timeline line), or undefined.
 */
export function renderStateGraph(layout: GraphLayout, marks: RunMarks | undefined, link: (state: string) => string | undefined = () => undefined): string {
  const taken = (id: string) => (marks?.entered.get(id) ?? 0) > 0;
  const rect = ([x, y, width, height]: Box, rx: number) =>
    `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" rx="${rx}"/>`;

  const groups = layout.groups
    .map(
      (group) =>
        `<g class="group${taken(group.id) ? ' taken' : ''}${marks?.failed.has(group.id) ? ' failed' : ''}" data-state="${escapeHtml(group.id)}">${rect(group.box, 8)}<text x="${(group.box[0] + 8).toFixed(1)}" y="${(group.box[1] + 15).toFixed(1)}">${escapeHtml(group.label)}</text></g>`,
    )
    .join('');
  const edges = layout.edges
    .map((e) => {
      const both = taken(layout.nodes[e.from].id) && taken(layout.nodes[e.to].id);
      const label =
        e.label && e.labelAt ? `<text x="${e.labelAt.x.toFixed(1)}" y="${e.labelAt.y.toFixed(1)}" class="edge-label">${escapeHtml(e.label)}</text>` : '';
      return `<g class="edge${both ? ' taken' : ''}${e.error ? ' error' : ''}"><path d="${e.path}" marker-end="url(#arrow)"/>${label}</g>`;
    })
    .join('');
  const nodes = layout.nodes
    .map((n) => {
      const [x, y, width, height] = n.box;
      const classes = [
        'node',
        n.type.toLowerCase(),
        taken(n.id) ? 'taken' : '',
        marks?.failed.has(n.id) ? 'failed' : '',
        marks?.current.has(n.id) ? 'current' : '',
        n.id === layout.start ? 'start' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const entered = marks?.entered.get(n.id) ?? 0;
      const shape = `${rect(n.box, n.type === 'Choice' ? 16 : 5)}<text x="${(x + width / 2).toFixed(1)}" y="${(y + height / 2 + 4).toFixed(1)}">${escapeHtml(nodeLabel(n.id, entered))}</text>`;
      const title = `<title>${escapeHtml(`${n.id} (${n.type})${marks ? (entered ? `: entered ${entered} time${entered === 1 ? '' : 's'}` : ': not reached') : ''}${marks?.failed.has(n.id) ? ', failed' : ''}${marks?.current.has(n.id) ? ', current' : ''}`)}</title>`;
      const href = link(n.id);
      const body = `${title}${shape}`;
      return `<g class="${classes}"${n.id === layout.start ? ' id="graph-start"' : ''} data-state="${escapeHtml(n.id)}">${href ? `<a href="${escapeHtml(href)}">${body}</a>` : body}</g>`;
    })
    .join('');
  // The picture keeps its drawn size and scrolls in its frame (shared/look/page.ts): the hint says so where it overflows (on a
  // narrow screen, or wider than a desktop frame), and the frame takes the keyboard's focus so it scrolls without a pointer too.
  return `<p class="hint small muted${layout.width > DESKTOP_FRAME_WIDTH ? ' wide' : ''}">The picture keeps its size: scroll it sideways, or <a href="#graph-start">go to where runs start</a>.</p><div class="graph" tabindex="0"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="group" aria-label="The workflow's states${marks ? ', with the path this run took' : ''}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>${groups}${edges}${nodes}</svg></div>`;
}
