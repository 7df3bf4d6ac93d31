/** What every step kind's compiler receives and returns. */
import type { ValidOs } from '../definition/validate';
import type { Step, Workflow } from '../definition/workflow';
import type { AslScope, AslState } from './asl';

/** Where a step goes: worked out by the graph assembler, so step compilers never look at their neighbours. */
export interface StepLinks {
  /** The step's readable title (state names start with it). */
  title: string;
  /** The state after this step ('' for kinds that do not continue: choice, succeed, fail). */
  next: string;
  /** The step's `catch` rules as ASL Catchers. */
  catches: Record<string, unknown>[];
  /** The entry state of a sibling step, by id. */
  entryOf(stepId: string): string;
}

export interface CompileContext {
  workflow: Workflow;
  os: ValidOs;
  /** Compiles a nested list of steps (a parallel branch, a map iteration) into its own scope. */
  branch(steps: readonly Step[], collectorName: string): AslScope;
}

/** The states of one step, in the order they appear in the document. */
export type StepStates = Record<string, AslState>;

export type StepCompiler<S extends Step> = (step: S, links: StepLinks, ctx: CompileContext) => StepStates;
