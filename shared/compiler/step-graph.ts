/**
 * The one place that assembles a list of steps into states: works out where
 * each step goes (its `next`, the following step, or the end of the list),
 * turns its catch rules into Catchers, asks the step kind's compiler for its
 * states, and refuses two states with the same name.
 */
import type { ValidOs } from '../definition/validate';
import type { CatchRule, Step, Workflow } from '../definition/workflow';
import type { AslScope, AslState } from './asl';
import { CompileError } from './errors';
import type { CompileContext, StepCompiler, StepLinks } from './step-compiler';
import { entryName, stepTitle } from './state-names';
import { compileAgentStep } from './steps/agent';
import { compileApprovalStep } from './steps/approval';
import { compileChoiceStep } from './steps/choice';
import { compileEmitStep } from './steps/emit';
import { compileFailStep, compileSucceedStep } from './steps/end';
import { compileMapStep } from './steps/map';
import { compileParallelStep } from './steps/parallel';
import { compileToolStep } from './steps/tool';
import { compileWaitStep } from './steps/wait';

type Compilers = { [K in Step['kind']]: StepCompiler<Extract<Step, { kind: K }>> };

const COMPILERS: Compilers = {
  agent: compileAgentStep,
  tool: compileToolStep,
  approval: compileApprovalStep,
  choice: compileChoiceStep,
  parallel: compileParallelStep,
  map: compileMapStep,
  wait: compileWaitStep,
  emit: compileEmitStep,
  succeed: compileSucceedStep,
  fail: compileFailStep,
};

/** Kinds that end the path or pick it themselves: they get no `next`, so a list ending in one has no end state. */
const NO_NEXT: ReadonlySet<Step['kind']> = new Set(['choice', 'succeed', 'fail']);

/**
 * Compiles a list of steps into its own scope. When any step runs off the end
 * of the list, a Pass named `collectorName` ends the scope with the steps' results.
 */
export function compileScope(workflow: Workflow, os: ValidOs, steps: readonly Step[], collectorName: string): AslScope {
  const states: Record<string, AslState> = {};
  let endUsed = false;
  const byId = new Map(steps.map((s) => [s.id, s]));
  const entryOf = (id: string): string => entryName(byId.get(id)!);
  const ctx: CompileContext = { workflow, os, branch: (inner, name) => compileScope(workflow, os, inner, name) };
  // A caught error becomes the step's result, so the step it goes to can read it at `steps.<id>`.
  const catchersOf = (stepId: string, rules: readonly CatchRule[] | undefined): Record<string, unknown>[] =>
    (rules ?? []).map((c) => ({ ErrorEquals: c.errors ? [...c.errors] : ['States.ALL'], ResultPath: `$.steps.${stepId}`, Next: entryOf(c.next) }));

  steps.forEach((step, i) => {
    let next = '';
    if (!NO_NEXT.has(step.kind)) {
      if (step.next !== undefined) next = entryOf(step.next);
      else if (i + 1 < steps.length) next = entryName(steps[i + 1]);
      else {
        endUsed = true;
        next = collectorName;
      }
    }
    const catches = catchersOf(step.id, 'catch' in step ? step.catch : undefined);
    const links: StepLinks = { title: stepTitle(step), next, catches, entryOf };
    const compile = COMPILERS[step.kind] as StepCompiler<Step>;
    for (const [name, state] of Object.entries(compile(step, links, ctx))) {
      if (name in states) throw new CompileError(`two states would be named "${name}" in workflow "${workflow.id}": give one of the steps a different title`);
      states[name] = state;
    }
  });
  if (endUsed) states[collectorName] = { Type: 'Pass', OutputPath: '$.steps', End: true };
  return { StartAt: entryName(steps[0]), States: states };
}
