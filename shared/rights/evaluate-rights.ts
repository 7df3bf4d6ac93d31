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
 */
import { AiosError } from '../errors';
import { checkQuorum, resolveApprovers, type RightsPerson } from './approvers';
import { DEFAULT_APPROVAL_TIMEOUT, parseDuration } from './duration';
import { InvalidRuleError } from './errors';
import { evaluateExpression, fieldPaths, parseExpression, readPath, type Expression } from './expression';
import { describeGlobs, matchesGlob } from './glob';
import { whenScope, type Lists } from './facts';
import { inputDigest } from './input-digest';
import { limitKey, type LimitCounters } from './limit-counters';
import type { DecisionRule } from './rule-schema';
import { checkWindow } from './time-window';

export type SideEffect = 'read' | 'write' | 'external';
export type Outcome = 'allow' | 'approve' | 'deny';

/** The least the engine needs to know about a tool. */
export interface RightsTool {
  id: string;
  sideEffect: SideEffect;
}

/** Who must approve, how many, by when, and what happens then (tool-gate output `approval`). */
export interface ApprovalPlan {
  /** Person ids, roles resolved. */
  approvers: string[];
  quorum: number;
  timeoutSeconds: number;
  onTimeout: 'reject' | 'escalate';
  escalation: null | { approvers: string[]; quorum: number; timeoutSeconds: number };
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

const parsed = new WeakMap<DecisionRule, Expression>();

function whenOf(rule: DecisionRule): Expression | undefined {
  if (rule.when === undefined) return undefined;
  let e = parsed.get(rule);
  if (!e) parsed.set(rule, (e = parseExpression(rule.when)));
  return e;
}

function describeValues(expression: Expression, input: unknown): string {
  // A whole list would drown the explanation; its name is enough.
  const shown = fieldPaths(expression)
    .filter((f) => !f.startsWith('lists.'))
    .map((f) => `${f} = ${JSON.stringify(readPath(input, f.split('.'))) ?? 'missing'}`);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

/** The static part of matching (no I/O): undefined when it matches, else why not. */
function staticMismatch(rule: DecisionRule, req: EvaluateRightsRequest): string | undefined {
  if (rule.tool !== undefined && !matchesGlob(rule.tool, req.tool.id)) return `tool "${req.tool.id}" does not match ${describeGlobs(rule.tool)}`;
  if (rule.agent !== undefined) {
    if (req.agentId === null) return `the call comes from no agent, the rule needs agent ${describeGlobs(rule.agent)}`;
    if (!matchesGlob(rule.agent, req.agentId)) return `agent "${req.agentId}" does not match ${describeGlobs(rule.agent)}`;
  }
  if (rule.workflow !== undefined) {
    if (req.workflowId === null) return `the call comes from no workflow, the rule needs workflow ${describeGlobs(rule.workflow)}`;
    if (!matchesGlob(rule.workflow, req.workflowId)) return `workflow "${req.workflowId}" does not match ${describeGlobs(rule.workflow)}`;
  }
  const when = whenOf(rule);
  if (when) {
    const scope = whenScope(req.input, req.facts ?? {}, req.lists ?? {});
    if (!evaluateExpression(when, scope)) return `when \`${rule.when}\` is false${describeValues(when, scope)}`;
  }
  if (rule.window) {
    const w = checkWindow(rule.window, req.now);
    if (!w.inside) return `outside the time window: ${w.why}`;
  }
  return undefined;
}

function sumAmount(rule: DecisionRule, input: unknown): number | string {
  const field = rule.limit?.sum?.field;
  if (field === undefined) return 0;
  const v = readPath(input, field.split('.'));
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    return `the limit sums "${field}" but the input's ${field} is ${JSON.stringify(v) ?? 'missing'}, not a non-negative number`;
  return v;
}

function reasonFor(rule: DecisionRule): string {
  const verb = rule.outcome === 'allow' ? 'allows' : rule.outcome === 'deny' ? 'denies' : 'requires approval';
  const because = rule.reason ?? rule.description;
  return `rule "${rule.id}" ${verb}${because ? `: ${because}` : ''}`;
}

/** The approval plan of an `approve` rule. @throws InvalidRuleError */
export function approvalPlan(rule: DecisionRule, people: readonly RightsPerson[]): ApprovalPlan {
  const approvers = resolveApprovers(rule.id, rule.approvers ?? [], people);
  const quorum = rule.quorum ?? 1;
  checkQuorum(rule.id, quorum, approvers);
  const timeoutSeconds = parseDuration(rule.timeout ?? DEFAULT_APPROVAL_TIMEOUT);
  if (rule.onTimeout === undefined || rule.onTimeout === 'reject') return { approvers, quorum, timeoutSeconds, onTimeout: 'reject', escalation: null };
  const escalationApprovers = resolveApprovers(rule.id, rule.onTimeout.escalateTo, people);
  const escalationQuorum = rule.onTimeout.quorum ?? 1;
  checkQuorum(rule.id, escalationQuorum, escalationApprovers, 'escalation approvers');
  return {
    approvers,
    quorum,
    timeoutSeconds,
    onTimeout: 'escalate',
    escalation: { approvers: escalationApprovers, quorum: escalationQuorum, timeoutSeconds: parseDuration(rule.onTimeout.timeout) },
  };
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
  const digest = inputDigest(req.input);
  const consume = req.consume ?? true;
  const trace: RuleTrace[] = [];
  for (const rule of req.rules) {
    const mismatch = staticMismatch(rule, req);
    if (mismatch !== undefined) {
      trace.push({ ruleId: rule.id, outcome: rule.outcome, matched: false, why: mismatch });
      continue;
    }
    if (rule.limit) {
      const amount = sumAmount(rule, req.input);
      if (typeof amount === 'string') {
        trace.push({ ruleId: rule.id, outcome: rule.outcome, matched: false, why: amount });
        continue;
      }
      const key = limitKey(rule.id, rule.limit, req.tool.id, req.agentId);
      const check =
        consume && rule.outcome === 'allow'
          ? await req.counters.consume(key, rule.limit, amount, req.now)
          : await req.counters.check(key, rule.limit, amount, req.now);
      if (!check.within) {
        trace.push({ ruleId: rule.id, outcome: rule.outcome, matched: false, why: check.why });
        continue;
      }
    }
    let approval: ApprovalPlan | null = null;
    if (rule.outcome === 'approve') {
      try {
        approval = approvalPlan(rule, req.people);
      } catch (error) {
        if (!(error instanceof AiosError)) throw error;
        // Fail closed: a rule that cannot name its approvers never lets the call through.
        const reason = `rule "${rule.id}" cannot be applied, so the call is denied: ${error.message}`;
        trace.push({ ruleId: rule.id, outcome: rule.outcome, matched: true, why: reason });
        return { decision: 'deny', ruleId: rule.id, reason, inputDigest: digest, approval: null, trace };
      }
    }
    const reason = reasonFor(rule);
    trace.push({ ruleId: rule.id, outcome: rule.outcome, matched: true, why: reason });
    return { decision: rule.outcome, ruleId: rule.id, reason, inputDigest: digest, approval, trace };
  }
  const reason =
    req.tool.sideEffect === 'read'
      ? `no rule matched; "${req.tool.id}" only reads, and read tools are allowed by default`
      : `no rule allows "${req.tool.id}", a tool with side effects (${req.tool.sideEffect}), so it is denied`;
  return { decision: req.tool.sideEffect === 'read' ? 'allow' : 'deny', ruleId: null, reason, inputDigest: digest, approval: null, trace };
}

export { InvalidRuleError };
