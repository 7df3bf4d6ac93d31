/**
 * Checks of the rule list against the rest of the definition, run when the
 * definition loads (shared/definition/validate.ts): every glob names
 * something, every `when` reads fields the tool input has with compatible
 * types, approvers exist and the quorum is reachable, no rule is hidden
 * behind an earlier catch-all.
 */
import * as z from 'zod';
import type * as core from 'zod/v4/core';
import { AiosError } from '../errors';
import type { RightsPerson } from './approvers';
import { approvalPlan } from './approval-plan';
import { checkExpression, parseExpression, tryParseExpression, type ExpressionIssue } from './expression';
import { describeGlobs, matchesGlob } from './glob';
import type { DecisionRule } from './rule-schema';

/** One problem; `path` is relative to the rule list, e.g. `refund-small.when`. */
export interface RuleProblem {
  path: string;
  message: string;
}

export interface RuleContext {
  people: readonly RightsPerson[];
  tools: readonly { id: string; input: core.$ZodType }[];
  agents: readonly { id: string }[];
  workflows: readonly string[];
  /** Declared facts (name → type) and lists, which `when` may read as facts.<name> and lists.<name>. */
  facts?: Readonly<Record<string, { type: 'boolean' | 'number' | 'string' }>>;
  lists?: Readonly<Record<string, readonly unknown[]>>;
}

/** What `when` may read for a tool: its input fields, plus the declared facts and lists. */
function whenSchemaOf(tool: { input: core.$ZodType }, ctx: Pick<RuleContext, 'facts' | 'lists'>): object {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    // A schema JSON Schema cannot express: accept any field rather than report false problems.
    return {};
  }
  if (!schema.properties || typeof schema.properties !== 'object') return schema;
  const facts = Object.fromEntries(Object.entries(ctx.facts ?? {}).map(([name, f]) => [name, { type: f.type }]));
  const lists = Object.fromEntries(Object.keys(ctx.lists ?? {}).map((name) => [name, { type: 'array', items: {} }]));
  return {
    ...schema,
    properties: {
      ...(schema.properties as object),
      facts: { type: 'object', properties: facts, additionalProperties: false },
      lists: { type: 'object', properties: lists, additionalProperties: false },
    },
  };
}

/** Issues that hold for every tool the rule can apply to (a field may exist in only some of them). */
function commonIssues(
  expression: string,
  tools: readonly { id: string; input: core.$ZodType }[],
  ctx: Pick<RuleContext, 'facts' | 'lists'> = {},
): ExpressionIssue[] {
  if (tools.length === 0) return [];
  const ast = parseExpression(expression);
  const perTool = tools.map((t) => checkExpression(ast, whenSchemaOf(t, ctx)));
  const key = (i: ExpressionIssue) => `${i.position}:${i.field ?? ''}`;
  return perTool[0].filter((issue) => perTool.every((issues) => issues.some((other) => key(other) === key(issue))));
}

/**
 * All problems of a rule list, empty when it is consistent.
 *
 * @example validateRules(os.rules, { people, tools, agents, workflows: ['support-desk'] })
 */
export function validateRules(rules: readonly DecisionRule[], ctx: RuleContext): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (rule: DecisionRule, field: string, message: string) => problems.push({ path: `${rule.id}.${field}`, message });
  let catchAll: DecisionRule | undefined;

  for (const rule of rules) {
    if (catchAll) add(rule, 'id', `never applies: rule "${catchAll.id}" before it matches every call`);

    const tools = rule.tool === undefined ? ctx.tools : ctx.tools.filter((t) => matchesGlob(rule.tool!, t.id));
    if (rule.tool !== undefined && tools.length === 0)
      add(rule, 'tool', `${describeGlobs(rule.tool)} matches no tool (tools: ${ctx.tools.map((t) => t.id).join(', ')})`);
    if (rule.agent !== undefined && !ctx.agents.some((a) => matchesGlob(rule.agent!, a.id))) {
      add(rule, 'agent', `${describeGlobs(rule.agent)} matches no agent (agents: ${ctx.agents.map((a) => a.id).join(', ')})`);
    }
    if (rule.workflow !== undefined && !ctx.workflows.some((w) => matchesGlob(rule.workflow!, w))) {
      add(rule, 'workflow', `${describeGlobs(rule.workflow)} matches no workflow (workflows: ${ctx.workflows.join(', ')})`);
    }

    if (rule.when !== undefined && tryParseExpression(rule.when).ok) {
      for (const issue of commonIssues(rule.when, tools, ctx)) add(rule, 'when', `${issue.message} (at position ${issue.position + 1} of \`${rule.when}\`)`);
    }
    const sumField = rule.limit?.sum?.field;
    if (sumField !== undefined) {
      if (!tryParseExpression(sumField).ok || parseExpression(sumField).kind !== 'path') add(rule, 'limit.sum.field', `"${sumField}" is not a field path`);
      else for (const issue of commonIssues(`${sumField} >= 0`, tools)) add(rule, 'limit.sum.field', issue.message);
    }

    if (rule.outcome === 'approve') {
      try {
        approvalPlan(rule, ctx.people);
      } catch (error) {
        if (!(error instanceof AiosError)) throw error;
        add(rule, 'approvers', error.message.replace(/^rule "[^"]*": /, ''));
      }
    }

    const unconditional =
      rule.tool === undefined &&
      rule.agent === undefined &&
      rule.workflow === undefined &&
      rule.when === undefined &&
      rule.window === undefined &&
      rule.limit === undefined;
    const matchesAllTools = rule.tool !== undefined && matchesGlob(rule.tool, '') && matchesGlob(rule.tool, 'x.y');
    if (
      !catchAll &&
      (unconditional ||
        (matchesAllTools &&
          rule.agent === undefined &&
          rule.workflow === undefined &&
          rule.when === undefined &&
          rule.window === undefined &&
          rule.limit === undefined))
    ) {
      catchAll = rule;
    }
  }
  return problems;
}
