/**
 * Flow analysis of one list of steps (a workflow, a parallel branch or a map
 * body): which steps follow which, which are unreachable, and which loop
 * forever with no way out.
 */
import type { Step } from './workflow';

/** Where a step may go next; `null` means the end of the list (an exit). */
export function successors(steps: readonly Step[], index: number): (string | null)[] {
  const step = steps[index];
  const following = index + 1 < steps.length ? steps[index + 1].id : null;
  const out: (string | null)[] = [];
  switch (step.kind) {
    case 'succeed':
    case 'fail':
      return [];
    case 'choice':
      for (const c of step.choices) out.push(c.next);
      // Without `otherwise`, no match fails the run (States.NoChoiceMatched): an exit.
      out.push(step.otherwise ?? null);
      return out;
    default:
      out.push(step.next ?? following);
  }
  if ('catch' in step) for (const c of step.catch ?? []) out.push(c.next);
  if (step.kind === 'tool' && step.onRefused) out.push(step.onRefused);
  if (step.kind === 'approval' && step.onReject) out.push(step.onReject);
  return out;
}

export interface FlowReport {
  unreachable: string[];
  /** Steps from which no exit (end, succeed, fail) can be reached. */
  trapped: string[];
}

export function analyseFlow(steps: readonly Step[]): FlowReport {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const edges = steps.map((_, i) => successors(steps, i));
  const reachable = new Set<number>();
  const stack = steps.length ? [0] : [];
  while (stack.length) {
    const i = stack.pop()!;
    if (reachable.has(i)) continue;
    reachable.add(i);
    for (const next of edges[i]) {
      const j = next === null ? undefined : index.get(next);
      if (j !== undefined) stack.push(j);
    }
  }
  // A step can exit when it is terminal, can reach the end, or reaches a step that can.
  const canExit = new Set<number>();
  let changed = true;
  while (changed) {
    changed = false;
    steps.forEach((s, i) => {
      if (canExit.has(i)) return;
      const exits =
        s.kind === 'succeed' ||
        s.kind === 'fail' ||
        edges[i].some((next) => next === null || (index.has(next) && canExit.has(index.get(next)!)) || (next !== null && !index.has(next)));
      if (exits) {
        canExit.add(i);
        changed = true;
      }
    });
  }
  return {
    unreachable: steps.filter((_, i) => !reachable.has(i)).map((s) => s.id),
    trapped: steps.filter((_, i) => reachable.has(i) && !canExit.has(i)).map((s) => s.id),
  };
}
