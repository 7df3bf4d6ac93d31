/** A parallel step: each branch is a list of steps; the result is the array of each branch's `steps`. */
import type { ParallelStep } from '../../definition/workflow';
import type { StepCompiler } from '../step-compiler';
import { recovery } from './recovery';

export const compileParallelStep: StepCompiler<ParallelStep> = (step, { title: t, next, catches }, { branch }) => ({
  [t]: {
    Type: 'Parallel',
    Branches: step.branches.map((steps, b) => branch(steps, `${t}: branch ${b + 1} done`)),
    ResultPath: `$.steps.${step.id}`,
    ...recovery(step.retry, catches),
    Next: next,
  },
});
