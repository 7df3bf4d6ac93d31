/**
 * The part of the definition the console reads, made from the whole
 * definition by one function (`consoleSlice`) for both places that run the
 * console: at synth, where infra/definition-entries.ts writes it into the
 * console Lambda's entry as data (so the Lambda carries neither the
 * definition's validation nor the compiler, the planner or dagre), and at
 * start in the local runtime.
 *
 * Everything is plain data except each tool's input schema (the explain form
 * says when an input would be refused) and `describe` (approvals in plain
 * words), which the entry imports from the module declaring the tool, and
 * facts, which are code the rights engine runs.
 */
import type * as core from 'zod/v4/core';
import { promptAgentOf } from '../agents/json-schema';
import type { PromptAgent } from '../agents/prompt';
import type { ApprovalPerson } from '../approvals/approval-service';
import { compileWorkflow } from '../compiler';
import { runCostModel } from '../cost/run-cost';
import type { SideEffect, ValidOs } from '../definition';
import { compileRules, type CompiledRule } from '../rights/compiled-rules';
import type { FactDefinition, Lists } from '../rights/facts';
import type { DecisionRule } from '../rights/rule-schema';
import { layoutStateGraph, type GraphLayout } from './graph-layout';
import { runCostCounts, type RunCostCounts } from './run-cost-counts';
import { stateGraph } from './state-graph';

export interface ConsoleSlice {
  name: string;
  /** Each workflow with its state machine laid out. */
  workflows: readonly { id: string; description: string; graph: GraphLayout }[];
  agents: readonly (PromptAgent & { tools: readonly string[] })[];
  tools: readonly { id: string; sideEffect: SideEffect; input: core.$ZodType; describe?: (input: never) => string }[];
  people: readonly ApprovalPerson[];
  rules: readonly DecisionRule[];
  /** The rules compiled against the people (each `when` parsed), as the explain form evaluates them: no parser at run time. */
  compiledRules: readonly CompiledRule[];
  lists: Lists;
  facts: Readonly<Record<string, FactDefinition>>;
  /** What a run costs on AWS, as counts per workflow (run-cost-counts.ts). */
  cost: RunCostCounts;
}

/** The console's part of `os`. */
export function consoleSlice(os: ValidOs): ConsoleSlice {
  return {
    name: os.name,
    workflows: os.workflows.map((w) => ({
      id: w.id,
      description: w.description,
      graph: layoutStateGraph(stateGraph(compileWorkflow(w, os))),
    })),
    agents: os.agents.map((a) => ({ ...promptAgentOf(a), tools: a.tools })),
    tools: os.tools.map((t) => ({ id: t.id, sideEffect: t.sideEffect, input: t.input, ...(t.describe ? { describe: t.describe } : {}) })),
    people: os.people.map((p) => ({ id: p.id, name: p.name, email: p.email, roles: p.roles })),
    rules: os.rules,
    compiledRules: compileRules(os.rules, os.people),
    lists: os.lists,
    facts: os.facts,
    cost: runCostCounts(runCostModel(os, { shortStateNames: true })),
  };
}
