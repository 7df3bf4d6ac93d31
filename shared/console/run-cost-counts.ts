/**
 * What one attempt of a workflow costs on AWS at the shape it ran (think
 * steps, tool calls), from counts worked out where the definition is at hand.
 *
 * Along the typical path (shared/cost/asl-walk.ts) every transition and
 * invocation count of a compiled workflow is bilinear in the agent's turns T
 * and the tool calls per acting turn K: the loop body runs T times, the tool
 * Map K items on each of the T − 1 acting turns. So four walks give
 * `c0 + cT·(T−1) + cK·K + cTK·(T−1)·K` for each count, checked against the
 * walk on a grid before it is used; the console Lambda then carries four
 * numbers per count instead of each workflow's ASL (about 11 KiB for the
 * example). A workflow whose counts do not fit keeps its walked ASL.
 */
import { walkTypicalPath, type PathCount, type WalkedMachine } from '../cost/asl-walk';
import { awsCostOfRunShape, DEFAULT_ASSUMPTIONS, US_EAST_1_PRICES, type RunCostModel, type UnitPrices } from '../cost/run-cost-model';
import type { AwsCostOfRun } from './outcomes';

/** `[c0, cT, cK, cTK]`: the count at T turns and K tool calls per turn is c0 + cT·(T−1) + cK·K + cTK·(T−1)·K. */
export type Bilinear = readonly [number, number, number, number];

export type CountedWorkflow = { id: string; agents: number } & (
  | { transitions: Bilinear; invocations: Record<string, Bilinear> }
  /** Counts that are not bilinear (no compiled workflow so far): walked at run time. */
  | { asl: WalkedMachine }
);

export interface RunCostCounts {
  workflows: CountedWorkflow[];
  functions: RunCostModel['functions'];
}

// The grid the fit is checked on: far beyond the turns and calls a run takes in practice.
const CHECK_TURNS = 12;
const CHECK_CALLS = 8;

function walk(asl: WalkedMachine, turns: number, calls: number): PathCount {
  return walkTypicalPath(asl, { ...DEFAULT_ASSUMPTIONS, agentTurns: turns, toolCallsPerTurn: calls });
}

function at(c: Bilinear, turns: number, calls: number): number {
  return c[0] + c[1] * (turns - 1) + c[2] * calls + c[3] * (turns - 1) * calls;
}

/** The path counts of a workflow at T turns and K calls, or undefined when they do not fit the grid check. */
function fit(asl: WalkedMachine): Pick<Extract<CountedWorkflow, { transitions: Bilinear }>, 'transitions' | 'invocations'> | undefined {
  const [a, b, c, d] = [walk(asl, 1, 0), walk(asl, 2, 0), walk(asl, 1, 1), walk(asl, 2, 1)];
  const coefficients = (of: (p: PathCount) => number): Bilinear => [of(a), of(b) - of(a), of(c) - of(a), of(d) - of(b) - of(c) + of(a)];
  const transitions = coefficients((p) => p.transitions);
  const invocations: Record<string, Bilinear> = {};
  for (const name of new Set([a, b, c, d].flatMap((p) => Object.keys(p.invocations)))) invocations[name] = coefficients((p) => p.invocations[name] ?? 0);
  for (let turns = 1; turns <= CHECK_TURNS; turns++) {
    for (let calls = 0; calls <= CHECK_CALLS; calls++) {
      const p = walk(asl, turns, calls);
      if (p.transitions !== at(transitions, turns, calls)) return undefined;
      const names = new Set([...Object.keys(p.invocations), ...Object.keys(invocations)]);
      for (const name of names) if ((p.invocations[name] ?? 0) !== (invocations[name] ? at(invocations[name], turns, calls) : 0)) return undefined;
    }
  }
  return { transitions, invocations };
}

/** The counts of `model` (run-cost.ts's model of the definition). */
export function runCostCounts(model: RunCostModel): RunCostCounts {
  return {
    workflows: model.workflows.map(({ id, agents, asl }) => ({ id, agents, ...(fit(asl) ?? { asl }) })),
    functions: model.functions,
  };
}

/**
 * The AWS part of one run's cost at the think steps and tool calls it took,
 * spread evenly over the workflow's agents (shared/cost's `awsCostOfRunShape`),
 * from the counts; 0 for an unknown workflow.
 */
export function awsCostOfCountedRun(counts: RunCostCounts, prices: UnitPrices = { ...US_EAST_1_PRICES }): AwsCostOfRun {
  return awsCostOfRunShape(
    counts.workflows,
    counts.functions,
    (workflow, turns, calls): PathCount =>
      'asl' in workflow
        ? walk(workflow.asl, turns, calls)
        : {
            transitions: at(workflow.transitions, turns, calls),
            invocations: Object.fromEntries(Object.entries(workflow.invocations).map(([name, c]) => [name, at(c, turns, calls)])),
          },
    prices,
  );
}
