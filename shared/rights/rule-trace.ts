/**
 * Why a rule did not match a call, as a sentence: what a rights trace
 * records and `aios rights explain` shows. Kept apart from the engine so the
 * deployed gate, which decides without explanations, does not carry them.
 */
import type { CompiledRule } from './compiled-rules';
import type { CompiledRightsRequest, Mismatch } from './evaluate-rights';
import { fieldPaths, readPath, type Expression } from './expression';
import { whenScope } from './facts';
import { describeGlobs } from './glob';
import { checkWindow } from './time-window';

function describeValues(expression: Expression, input: unknown): string {
  // A whole list would drown the explanation; its name is enough.
  const shown = fieldPaths(expression)
    .filter((f) => !f.startsWith('lists.'))
    .map((f) => `${f} = ${JSON.stringify(readPath(input, f.split('.'))) ?? 'missing'}`);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

/** The sentence for a mismatch the engine found (its checks are pure: asked again, each gives the same answer). */
export function mismatchWhy(rule: CompiledRule, mismatch: Mismatch, req: CompiledRightsRequest): string {
  switch (mismatch.part) {
    case 'tool':
      return `tool "${req.tool.id}" does not match ${describeGlobs(rule.tool ?? [])}`;
    case 'agent':
      return req.agentId === null
        ? `the call comes from no agent, the rule needs agent ${describeGlobs(rule.agent ?? [])}`
        : `agent "${req.agentId}" does not match ${describeGlobs(rule.agent ?? [])}`;
    case 'workflow':
      return req.workflowId === null
        ? `the call comes from no workflow, the rule needs workflow ${describeGlobs(rule.workflow ?? [])}`
        : `workflow "${req.workflowId}" does not match ${describeGlobs(rule.workflow ?? [])}`;
    case 'when': {
      const scope = whenScope(req.input, req.facts ?? {}, req.lists ?? {});
      return `when \`${rule.when}\` is false${rule.whenExpression ? describeValues(rule.whenExpression, scope) : ''}`;
    }
    case 'window': {
      const w = rule.window ? checkWindow(rule.window, req.now) : undefined;
      return `outside the time window: ${w && !w.inside ? w.why : 'no window'}`;
    }
    case 'sum': {
      const field = rule.limit?.sum?.field ?? '';
      const v = readPath(req.input, field.split('.'));
      return `the limit sums "${field}" but the input's ${field} is ${JSON.stringify(v) ?? 'missing'}, not a non-negative number`;
    }
    case 'limit':
      return mismatch.why;
  }
}
