/**
 * Decision rules made ready to evaluate: each `when` parsed into its syntax
 * tree, each approve rule's plan resolved against the people. The engine
 * (evaluate-rights.ts) runs on this form only. The tool gate's deployed
 * entry gets it as data written at synth (infra/definition-entries.ts), so
 * that Lambda carries the evaluator but not the expression parser, the
 * approver resolution or the duration parser; every other caller compiles
 * the rules it is given (`evaluateRights` does so on each call).
 *
 * The compiled form is plain data (a syntax tree is objects, arrays and
 * literals), so it survives JSON when its literals do: synth checks that
 * and keeps the gate's usual entry when they do not (`1e999` is Infinity).
 */
import { AiosError } from '../errors';
import { approvalPlan, type ApprovalPlan } from './approval-plan';
import type { RightsPerson } from './approvers';
import { parseExpression, type Expression } from './expression';
import type { DecisionRule } from './rule-schema';

/** A rule compiled. An approve rule's `approval` replaces its approvers, quorum, timeout and onTimeout, which it leaves out. */
export interface CompiledRule extends DecisionRule {
  /** `when`, parsed (present exactly when `when` is). */
  whenExpression?: Expression;
  /** An approve rule's plan; or, when the rule cannot be applied (nobody holds a role …), why: a call it matches is denied. */
  approval?: { plan: ApprovalPlan } | { unusable: string };
}

const parsed = new WeakMap<DecisionRule, Expression>();

function parsedWhen(rule: DecisionRule & { when: string }): Expression {
  let expression = parsed.get(rule);
  if (!expression) parsed.set(rule, (expression = parseExpression(rule.when)));
  return expression;
}

/**
 * One rule, compiled.
 *
 * @throws ExpressionSyntaxError for a `when` that does not parse (the rule schema already refuses one)
 */
export function compileRule(rule: DecisionRule, people: readonly RightsPerson[]): CompiledRule {
  const { approvers: _approvers, quorum: _quorum, timeout: _timeout, onTimeout: _onTimeout, ...rest } = rule;
  const compiled: CompiledRule = rule.outcome === 'approve' ? rest : { ...rule };
  if (rule.when !== undefined) compiled.whenExpression = parsedWhen(rule as DecisionRule & { when: string });
  if (rule.outcome === 'approve') {
    try {
      compiled.approval = { plan: approvalPlan(rule, people) };
    } catch (error) {
      if (!(error instanceof AiosError)) throw error;
      compiled.approval = { unusable: error.message };
    }
  }
  return compiled;
}

/**
 * The rules, in order, compiled against the people who may approve.
 *
 * @example
 * const [rule] = compileRules([{ id: 'small', tool: 'refunds.issue', when: 'amount <= 50', outcome: 'allow' }], people);
 * rule.whenExpression // { kind: 'compare', op: '<=', … }
 */
export function compileRules(rules: readonly DecisionRule[], people: readonly RightsPerson[]): CompiledRule[] {
  return rules.map((rule) => compileRule(rule, people));
}
