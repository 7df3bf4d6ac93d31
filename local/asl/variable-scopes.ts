/**
 * Variable scopes at CreateStateMachine: a variable exists in the scope where
 * any state assigns it (its top-level Assign, a Choice rule's, or a Catch's),
 * each Map ItemProcessor and Parallel branch is a scope of its own, and "a
 * variable assigned in an inner scope cannot have the same name as one assigned
 * in an outer scope" (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html,
 * "Variable scope"). A Catch on a Map or Parallel state assigns in the scope the state sits in.
 */
import type { ChoiceRule, MachineDefinition, StateDefinition } from './types';

export type ScopeReport = (code: string, message: string, location: string) => void;

function assigned(state: StateDefinition, loc: string): [string, string][] {
  const names: [string, string][] = [];
  const add = (assign: unknown, at: string) => {
    if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return;
    for (const key of Object.keys(assign)) names.push([key.endsWith('.$') ? key.slice(0, -2) : key, `${at}/${key}`]);
  };
  add(state.Assign, `${loc}/Assign`);
  for (const [i, rule] of ((state.Choices ?? []) as ChoiceRule[]).entries()) add(rule.Assign, `${loc}/Choices/${i}/Assign`);
  for (const [i, catcher] of (state.Catch ?? []).entries()) add(catcher.Assign, `${loc}/Catch/${i}/Assign`);
  return names;
}

function inner(state: StateDefinition, loc: string): [MachineDefinition, string][] {
  const machines: [MachineDefinition, string][] = [];
  for (const [i, branch] of (state.Branches ?? []).entries()) machines.push([branch, `${loc}/Branches/${i}`]);
  if (state.ItemProcessor) machines.push([state.ItemProcessor, `${loc}/ItemProcessor`]);
  else if (state.Iterator) machines.push([state.Iterator, `${loc}/Iterator`]);
  return machines;
}

/** Reports every assignment in an inner scope to a name an enclosing scope assigns. */
export function checkVariableScopes(machine: MachineDefinition, report: ScopeReport, location = '', outer: ReadonlySet<string> = new Set()): void {
  const states = Object.entries(machine.States ?? {});
  const here = states.flatMap(([name, state]) => assigned(state, `${location}/States/${name}`));
  for (const [name, at] of here) {
    if (outer.has(name))
      report(
        'SCHEMA_VALIDATION_FAILED',
        `The variable '${name}' is assigned in an outer scope and cannot be assigned in a Map or Parallel state's inner scope`,
        at,
      );
  }
  const visible = new Set([...outer, ...here.map(([name]) => name)]);
  for (const [name, state] of states) for (const [child, at] of inner(state, `${location}/States/${name}`)) checkVariableScopes(child, report, at, visible);
}
