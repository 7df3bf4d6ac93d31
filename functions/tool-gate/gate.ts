/**
 * The tool gate: decision rights for one tool call of the agent loop,
 * evaluated outside the model, with the decision and the rule that made it
 * written to the run's audit trail. Fails closed: an unknown tool, or one the
 * agent was not given, is denied.
 */
import type { AuditLog } from '../../shared/audit/audit-log';
import type { GateDecision } from '../../shared/rights/evaluate-rights';
import { evaluateRightsWithFacts } from '../../shared/rights/evaluate-with-facts';
import type { FactDefinition, Lists } from '../../shared/rights/facts';
import { inputDigest } from '../../shared/rights/input-digest';
import type { LimitCounters } from '../../shared/rights/limit-counters';
import type { DecisionRule } from '../../shared/rights/rule-schema';
import { AiosError } from '../../shared/errors';
import { toolGateInputSchema } from '../../shared/contracts/tool-gate';
import type { AgentSuspensions } from '../../shared/console/controls';

export { toolGateInputSchema, type ToolGateInput } from '../../shared/contracts/tool-gate';

export interface GateDeps {
  rules: readonly DecisionRule[];
  people: readonly { id: string; roles: readonly string[] }[];
  tools: readonly { id: string; sideEffect: 'read' | 'write' | 'external' }[];
  agents: readonly { id: string; tools: readonly string[] }[];
  counters: LimitCounters;
  audit: AuditLog;
  /** Agents suspended in the console: every call of theirs is denied before any rule. */
  suspensions?: AgentSuspensions;
  now?: () => Date;
  /** The definition's facts and lists, which rules read in `when`. */
  facts?: Readonly<Record<string, FactDefinition>>;
  lists?: Lists;
}

export class InvalidGateInputError extends AiosError {
  constructor(message: string) {
    super('ToolGate.InvalidInput', message);
  }
}

/** Decides one call and audits it; returns the tool-gate output (contract shape). */
export async function gateToolCall(deps: GateDeps, raw: unknown): Promise<GateDecision> {
  const parsed = toolGateInputSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidGateInputError(`invalid tool-gate input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const event = parsed.data;
  const tool = deps.tools.find((t) => t.id === event.call.name);
  const agent = event.agentId ? deps.agents.find((a) => a.id === event.agentId) : undefined;
  let decision: GateDecision;
  let facts: Record<string, unknown> = {};
  const suspended = event.agentId && deps.suspensions ? await deps.suspensions.suspension(event.agentId) : undefined;
  if (suspended) {
    decision = {
      decision: 'deny',
      ruleId: null,
      reason: `agent "${event.agentId}" is suspended by ${suspended.byName}${suspended.why ? `: ${suspended.why}` : ''}`,
      inputDigest: inputDigest(event.call.input),
      approval: null,
    };
  } else if (!tool) {
    decision = { decision: 'deny', ruleId: null, reason: `there is no tool "${event.call.name}"`, inputDigest: inputDigest(event.call.input), approval: null };
  } else if (event.agentId && (!agent || !agent.tools.includes(tool.id))) {
    decision = {
      decision: 'deny',
      ruleId: null,
      reason: `agent "${event.agentId}" is not given the tool "${tool.id}"`,
      inputDigest: inputDigest(event.call.input),
      approval: null,
    };
  } else {
    const {
      trace: _trace,
      facts: computed,
      factFailures: _failures,
      ...rest
    } = await evaluateRightsWithFacts({
      factDefinitions: deps.facts ?? {},
      lists: deps.lists ?? {},
      rules: deps.rules,
      people: deps.people,
      tool,
      agentId: event.agentId,
      workflowId: event.workflowId,
      input: event.call.input,
      now: deps.now ? deps.now() : new Date(),
      counters: deps.counters,
    });
    decision = rest;
    facts = computed;
  }
  await deps.audit.append(event.runId, 'rights.evaluated', {
    tool: event.call.name,
    agentId: event.agentId,
    toolUseId: event.call.toolUseId,
    stepId: event.stepId,
    decision: decision.decision,
    ruleId: decision.ruleId,
    reason: decision.reason,
    inputDigest: decision.inputDigest,
    ...(Object.keys(facts).length > 0 ? { facts } : {}),
    ...(event.call.reason ? { agentReason: event.call.reason } : {}),
  });
  return decision;
}
