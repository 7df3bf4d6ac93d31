/**
 * Walks a compiled ASL document along one typical path and counts what AWS
 * bills for: state transitions and Lambda invocations per placeholder.
 *
 * The typical path: each agent thinks `agentTurns` times (tool calls on every
 * turn but the last, `toolCallsPerTurn` each), and every other choice takes
 * its first branch — in compiled AIOS workflows that is "allowed",
 * "approved", "carried out". Maps over other items run `mapItems` times.
 */
import { AiosError } from '../errors';

export interface PathAssumptions {
  /** Think steps per agent run (the last one answers). */
  agentTurns: number;
  toolCallsPerTurn: number;
  /** Iterations of a workflow `map` step. */
  mapItems: number;
}

export interface PathCount {
  transitions: number;
  /** Invocations by placeholder (`FnAgentStep`, `FnTool_refunds_issue`, …). */
  invocations: Record<string, number>;
}

type State = Record<string, unknown> & { Type: string; Next?: string; End?: boolean };
interface Machine {
  StartAt: string;
  States: Record<string, State>;
}
interface ChoiceRule {
  Variable?: string;
  StringEquals?: string;
  Next: string;
}

// Guards against a definition whose typical path never ends.
const MAX_STEPS = 100_000;

export class AslWalkError extends AiosError {
  constructor(message: string) {
    super('Cost.WalkFailed', message);
  }
}

/** Counts transitions and invocations of one run along the typical path (of the ASL as JSON text, or of `walkedParts` of it). */
export function walkTypicalPath(asl: string | WalkedMachine, assumptions: PathAssumptions): PathCount {
  const count: PathCount = { transitions: 0, invocations: {} };
  walk((typeof asl === 'string' ? JSON.parse(asl) : asl) as Machine, assumptions, count, new Map());
  return count;
}

/** A state machine with only what the walk reads (an ASL document is mostly payload templates it never looks at). */
export interface WalkedMachine {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * The parts of the ASL document (JSON text) that `walkTypicalPath` reads: the same walk, a fraction of the size.
 * With `shortNames`, states are renamed to short names (one per name, so the walk's visit counts are the same;
 * an error then names the short one): for a process that carries the machine as data.
 */
export function walkedParts(aslJson: string, options: { shortNames?: boolean } = {}): WalkedMachine {
  const names = new Map<string, string>();
  const short = (name: string): string => {
    if (!options.shortNames) return name;
    if (!names.has(name)) names.set(name, names.size.toString(36));
    return names.get(name)!;
  };
  const to = (name: unknown) => (typeof name === 'string' ? short(name) : name);
  const machine = (m: Machine): WalkedMachine => ({
    StartAt: short(m.StartAt),
    States: Object.fromEntries(Object.entries(m.States).map(([name, s]) => [short(name), state(s)])),
  });
  const state = (s: State): Record<string, unknown> => {
    const fn = (s.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
    const processor = (s.ItemProcessor ?? s.Iterator) as Machine | undefined;
    return {
      Type: s.Type,
      ...(s.Next !== undefined ? { Next: to(s.Next) } : {}),
      ...(s.End !== undefined ? { End: s.End } : {}),
      ...(s.Default !== undefined ? { Default: to(s.Default) } : {}),
      ...(s.Type === 'Task' && fn !== undefined ? { Parameters: { FunctionName: fn } } : {}),
      ...(s.Type === 'Choice'
        ? { Choices: (s.Choices as ChoiceRule[]).map((r) => defined({ Variable: r.Variable, StringEquals: r.StringEquals, Next: to(r.Next) })) }
        : {}),
      ...(s.Type === 'Parallel' ? { Branches: (s.Branches as Machine[]).map(machine) } : {}),
      ...(s.Type === 'Map' ? defined({ ItemsPath: s.ItemsPath, ItemProcessor: processor ? machine(processor) : undefined }) : {}),
    };
  };
  return machine(JSON.parse(aslJson) as Machine);
}

function walk(machine: Machine, a: PathAssumptions, count: PathCount, visits: Map<string, number>): void {
  let name: string | undefined = machine.StartAt;
  let steps = 0;
  while (name !== undefined) {
    if (++steps > MAX_STEPS) throw new AslWalkError(`the typical path does not end (stuck around "${name}")`);
    const state: State | undefined = machine.States[name];
    if (!state) throw new AslWalkError(`no state "${name}"`);
    count.transitions++;
    const seen = (visits.get(name) ?? 0) + 1;
    visits.set(name, seen);
    switch (state.Type) {
      case 'Task': {
        const fn: unknown = (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName;
        const placeholder: string | undefined = typeof fn === 'string' ? /^\$\{([A-Za-z0-9_]+)\}$/.exec(fn)?.[1] : undefined;
        if (placeholder) count.invocations[placeholder] = (count.invocations[placeholder] ?? 0) + 1;
        break;
      }
      case 'Parallel':
        for (const branch of state.Branches as Machine[]) walk(branch, a, count, visits);
        break;
      case 'Map': {
        const processor = (state.ItemProcessor ?? state.Iterator) as Machine;
        const items = /^\$\.loops\./.test(String(state.ItemsPath ?? '')) ? a.toolCallsPerTurn : a.mapItems;
        for (let i = 0; i < items; i++) walk(processor, a, count, visits);
        break;
      }
      case 'Choice': {
        name = choose(state, seen, a);
        continue;
      }
      case 'Succeed':
      case 'Fail':
        return;
      default:
        break;
    }
    name = state.End ? undefined : state.Next;
  }
}

function choose(state: State, seen: number, a: PathAssumptions): string {
  const rules = state.Choices as ChoiceRule[];
  const done = rules.find((r) => /^\$\.loops\.[^.]+\.status$/.test(r.Variable ?? '') && r.StringEquals === 'done');
  if (done) return seen >= a.agentTurns ? done.Next : String(state.Default);
  // A run's start: the typical run is neither the duplicate of a delivery published twice nor started by hand.
  if (rules[0]?.Variable === '$.start.duplicateOf') return String(state.Default);
  return rules[0].Next;
}
