/**
 * The decision-rights engine: an ordered rule list, first match wins, run
 * outside the model for every tool call.
 *
 * A rule matches when every part it states holds, checked in this order:
 * tool glob, agent glob, workflow glob, `when` over the input, time window,
 * then its rolling limit (a rule with a limit matches only while one more
 * call stays within it). Limits are consumed only when the matching rule
 * decides `allow`.
 *
 * When no rule matches: a `read` tool is allowed (reading changes nothing),
 * a `write` or `external` tool is denied ("a tool with side effects that no
 * rule allows is not run").
 *
 * `evaluateRights` and `evaluateCompiledRights` also say why each rule
 * examined did or did not match (./rule-trace.ts, for `aios rights explain`);
 * `decideCompiledRights`, the deployed gate's, decides alike without.
 */
import type { ApprovalPlan } from './approval-plan';
import type { RightsPerson } from './approvers';
import { compileRules, type CompiledRule } from './compiled-rules';
import { InvalidRuleError } from './errors';
import { evaluateExpression, readPath } from './expression';
import { matchesGlob } from './glob';
import { whenScope, type Lists } from './facts';
import { inputDigest } from './input-digest';
import { limitKey, type LimitCounters } from './limit-counters';
import type { DecisionRule } from './rule-schema';
import { mismatchWhy } from './rule-trace';
import { checkWindow } from './time-window';

export { approvalPlan, type ApprovalPlan } from './approval-plan';

export type SideEffect = 'read' | 'write' | 'external';
export type Outcome = 'allow' | 'approve' | 'deny';

/** The least the engine needs to know about a tool. */
export interface RightsTool {
  id: string;
  sideEffect: SideEffect;
}

/** The tool-gate output (contract shape). */
export interface GateDecision {
  decision: Outcome;
  ruleId: string | null;
  reason: string;
  /** sha256 hex of the canonical JSON of the input. */
  inputDigest: string;
  approval: ApprovalPlan | null;
}

/** Why one rule did or did not match, in evaluation order. */
export interface RuleTrace {
  ruleId: string;
  outcome: Outcome;
  matched: boolean;
  why: string;
}

export interface RightsEvaluation extends GateDecision {
  /** Every rule examined, up to and including the one that matched. */
  trace: RuleTrace[];
}

export interface EvaluateRightsRequest {
  rules: readonly DecisionRule[];
  people: readonly RightsPerson[];
  tool: RightsTool;
  agentId: string | null;
  workflowId: string | null;
  input: unknown;
  now: Date;
  /** Rolling-limit counters (on the `state` table). */
  counters: LimitCounters;
  /** false: check limits but consume nothing (`aios rights explain`). Default true. */
  consume?: boolean;
  /** Facts computed by the gate for this call (./facts.ts), read in `when` as facts.<name>. */
  facts?: Record<string, unknown>;
  /** The definition's named lists, read in `when` as lists.<name>. */
  lists?: Lists;
}

/** The request with its rules compiled (./compiled-rules.ts): approvers are resolved already, so no people. */
export type CompiledRightsRequest = Omit<EvaluateRightsRequest, 'rules' | 'people'> & { rules: readonly CompiledRule[] };

/** The part of a rule that kept it from matching a call (`limit`: the counter's reason). */
export type Mismatch = { part: 'tool' | 'agent' | 'workflow' | 'when' | 'window' | 'sum' } | { part: 'limit'; why: string };

/** The static part of matching (no I/O): undefined when it matches, else the part that does not. */
function staticMismatch(rule: CompiledRule, req: CompiledRightsRequest): Mismatch | undefined {
  if (rule.tool !== undefined && !matchesGlob(rule.tool, req.tool.id)) return { part: 'tool' };
  if (rule.agent !== undefined && (req.agentId === null || !matchesGlob(rule.agent, req.agentId))) return { part: 'agent' };
  if (rule.workflow !== undefined && (req.workflowId === null || !matchesGlob(rule.workflow, req.workflowId))) return { part: 'workflow' };
  if (rule.whenExpression && !evaluateExpression(rule.whenExpression, whenScope(req.input, req.facts ?? {}, req.lists ?? {}))) return { part: 'when' };
  if (rule.window && !checkWindow(rule.window, req.now).inside) return { part: 'window' };
  return undefined;
}

/**
 * The counter keys of the limits a call may consult: those of the rules naming its tool, agent and workflow, in
 * order, up to the first such rule without a limit or a `when` (it decides, so none after it is reached). A caller
 * reads their windows ahead, with other items, in one request; a key it was wrong to read costs nothing more.
 */
export function limitKeysAhead(rules: readonly CompiledRule[], call: Pick<CompiledRightsRequest, 'tool' | 'agentId' | 'workflowId'>): string[] {
  const keys: string[] = [];
  for (const rule of rules) {
    if (rule.tool !== undefined && !matchesGlob(rule.tool, call.tool.id)) continue;
    if (rule.agent !== undefined && (call.agentId === null || !matchesGlob(rule.agent, call.agentId))) continue;
    if (rule.workflow !== undefined && (call.workflowId === null || !matchesGlob(rule.workflow, call.workflowId))) continue;
    if (rule.limit) keys.push(limitKey(rule.id, rule.limit, call.tool.id, call.agentId));
    else if (!rule.whenExpression && !rule.window) break;
  }
  return keys;
}

/** What a call adds to the rule's sum limit (0 without one); undefined when the input's field is not a non-negative number. */
export function sumAmount(rule: DecisionRule, input: unknown): number | undefined {
  const field = rule.limit?.sum?.field;
  if (field === undefined) return 0;
  const v = readPath(input, field.split('.'));
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function reasonFor(rule: DecisionRule): string {
  const verb = rule.outcome === 'allow' ? 'allows' : rule.outcome === 'deny' ? 'denies' : 'requires approval';
  const because = rule.reason ?? rule.description;
  return `rule "${rule.id}" ${verb}${because ? `: ${because}` : ''}`;
}

/**
 * Decides one tool call.
 *
 * @example
 * const d = await evaluateRights({ rules, people, tool: { id: 'refunds.issue', sideEffect: 'external' },
 *   agentId: 'triage', workflowId: 'support-desk', input: { amount: 120 }, now: new Date(), counters });
 * d.decision // 'approve'; d.approval.approvers // ['sam']
 */
export async function evaluateRights(req: EvaluateRightsRequest): Promise<RightsEvaluation> {
  const { people, rules, ...rest } = req;
  return evaluateCompiledRights({ ...rest, rules: compileRules(rules, people) });
}

/** Decides one call by rules compiled ahead, saying why each rule examined did or did not match. */
export async function evaluateCompiledRights(req: CompiledRightsRequest): Promise<RightsEvaluation> {
  const trace: RuleTrace[] = [];
  const { decision, rule } = await decide(req, (r, mismatch) =>
    trace.push({ ruleId: r.id, outcome: r.outcome, matched: false, why: mismatchWhy(r, mismatch, req) }),
  );
  if (rule) trace.push({ ruleId: rule.id, outcome: rule.outcome, matched: true, why: decision.reason });
  return { ...decision, trace };
}

/** Decides one call by rules compiled ahead: the decision alone (the deployed gate's; it carries no explanations). */
export async function decideCompiledRights(req: CompiledRightsRequest): Promise<GateDecision> {
  return (await decide(req)).decision;
}

/** The engine: the decision, and the rule that made it (none when no rule matched); each rule passed over is reported. */
async function decide(
  req: CompiledRightsRequest,
  passedOver?: (rule: CompiledRule, mismatch: Mismatch) => void,
): Promise<{ decision: GateDecision; rule?: CompiledRule }> {
  const digest = inputDigest(req.input);
  const consume = req.consume ?? true;
  for (const rule of req.rules) {
    const mismatch = staticMismatch(rule, req);
    if (mismatch !== undefined) {
      passedOver?.(rule, mismatch);
      continue;
    }
    if (rule.limit) {
      const amount = sumAmount(rule, req.input);
      if (amount === undefined) {
        passedOver?.(rule, { part: 'sum' });
        continue;
      }
      const key = limitKey(rule.id, rule.limit, req.tool.id, req.agentId);
      const check =
        consume && rule.outcome === 'allow'
          ? await req.counters.consume(key, rule.limit, amount, req.now)
          : await req.counters.check(key, rule.limit, amount, req.now);
      if (!check.within) {
        passedOver?.(rule, { part: 'limit', why: check.why });
        continue;
      }
    }
    let approval: ApprovalPlan | null = null;
    if (rule.outcome === 'approve') {
      // Fail closed: a rule that cannot name its approvers never lets the call through (nor one compiled without its plan).
      if (!rule.approval || 'unusable' in rule.approval) {
        const reason = `rule "${rule.id}" cannot be applied, so the call is denied: ${rule.approval?.unusable ?? 'no approval plan'}`;
        return { decision: { decision: 'deny', ruleId: rule.id, reason, inputDigest: digest, approval: null }, rule };
      }
      approval = rule.approval.plan;
    }
    return { decision: { decision: rule.outcome, ruleId: rule.id, reason: reasonFor(rule), inputDigest: digest, approval }, rule };
  }
  const reason =
    req.tool.sideEffect === 'read'
      ? `no rule matched; "${req.tool.id}" only reads, and read tools are allowed by default`
      : `no rule allows "${req.tool.id}", a tool with side effects (${req.tool.sideEffect}), so it is denied`;
  return { decision: { decision: req.tool.sideEffect === 'read' ? 'allow' : 'deny', ruleId: null, reason, inputDigest: digest, approval: null } };
}

export { InvalidRuleError };
