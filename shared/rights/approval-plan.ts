/** The approval plan of an `approve` rule: approvers resolved to people, quorum checked, timeouts in seconds. */
import { checkQuorum, resolveApprovers, type RightsPerson } from './approvers';
import { DEFAULT_APPROVAL_TIMEOUT, parseDuration } from './duration';
import type { DecisionRule } from './rule-schema';

/** Who must approve, how many, by when, and what happens then (tool-gate output `approval`). */
export interface ApprovalPlan {
  /** Person ids, roles resolved. */
  approvers: string[];
  quorum: number;
  timeoutSeconds: number;
  onTimeout: 'reject' | 'escalate';
  escalation: null | { approvers: string[]; quorum: number; timeoutSeconds: number };
}

/** The approval plan of an `approve` rule. @throws InvalidRuleError, InvalidDurationError */
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
