/** Decision rights: rule schema, engine, limits, validation. */
export { decisionRuleSchema, decisionRulesSchema, DEFAULT_APPROVAL_TIMEOUT, type DecisionRule, type DecisionRuleInput } from './rule-schema';
export { parseDuration, formatDuration } from './duration';
export { compileRule, compileRules, type CompiledRule } from './compiled-rules';
export {
  evaluateRights,
  evaluateCompiledRights,
  type CompiledRightsRequest,
  approvalPlan,
  type ApprovalPlan,
  type EvaluateRightsRequest,
  type GateDecision,
  type Outcome,
  type RightsEvaluation,
  type RightsTool,
  type RuleTrace,
  type SideEffect,
} from './evaluate-rights';
export { LimitCounters, limitKey, type LimitUsage } from './limit-counters';
export { resolveApprovers, type RightsPerson } from './approvers';
export { inputDigest, canonicalJson } from './input-digest';
export { matchesGlob } from './glob';
export { validateRules, type RuleContext, type RuleProblem } from './validate-rules';
export { ExpressionSyntaxError, InvalidDurationError, InvalidRuleError } from './errors';
