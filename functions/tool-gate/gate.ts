/**
 * The tool gate: decision rights for one tool call of the agent loop,
 * evaluated outside the model, with the decision and the rule that made it
 * written to the run's audit trail. Fails closed: a suspended agent, an
 * unknown tool, or one the agent was not given, is denied before any rule.
 *
 * It decides by compiled rules (shared/rights/compiled-rules.ts):
 * `gateToolCall` compiles the rules it is given, `gateCompiledCall` takes
 * them compiled, and `gateCallWithoutFacts` takes them compiled from a
 * definition whose rules read no facts, as the deployed gate's entry writes
 * them at synth; that path carries no fact code.
 */
import type { AuditWriter } from '../../shared/audit/audit-log';
import { compileRules, type CompiledRule } from '../../shared/rights/compiled-rules';
import { decideCompiledRights, limitKeysAhead, type CompiledRightsRequest, type GateDecision } from '../../shared/rights/evaluate-rights';
import { evaluateCompiledRightsWithFacts } from '../../shared/rights/evaluate-with-facts';
import { refusalBeforeRules, type FactDefinition, type Lists } from '../../shared/rights/facts';
import { inputDigest } from '../../shared/rights/input-digest';
import { windowKey, type LimitCounters } from '../../shared/rights/limit-counters';
import type { DecisionRule } from '../../shared/rights/rule-schema';
import { AiosError } from '../../shared/errors';
import { toolGateInputSchema } from '../../shared/contracts/tool-gate';
import { agentControlKey, suspensionOf, type AgentSuspensions, type Control } from '../../shared/console/controls';
import type { ItemsReader } from '../../shared/storage/items-reader';

export { toolGateInputSchema, type ToolGateInput } from '../../shared/contracts/tool-gate';

export interface GateDeps extends Omit<CompiledGateDeps, 'rules'> {
  rules: readonly DecisionRule[];
  people: readonly { id: string; roles: readonly string[] }[];
}

/** What the gate decides by: the rules compiled (approvers resolved against the people already). */
export interface CompiledGateDeps {
  rules: readonly CompiledRule[];
  tools: readonly { id: string; sideEffect: 'read' | 'write' | 'external' }[];
  agents: readonly { id: string; tools: readonly string[] }[];
  counters: LimitCounters;
  /** Only appended to (an AuditLog will do). */
  audit: AuditWriter;
  /** Agents suspended in the console: every call of theirs is denied before any rule. */
  suspensions?: AgentSuspensions;
  /**
   * Reads the state table by keys in one request (BatchGetItem): given, a call whose rules may consult limits reads
   * the agent's suspension and those limits' windows together, where it read each with a GetItem. Same table as
   * `suspensions` and `counters`.
   */
  readItems?: ItemsReader;
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

/** The rules evaluated for a call that passed the checks before them: the decision, and the facts computed for it. */
type RulesEvaluation = (
  request: Omit<CompiledRightsRequest, 'facts'>,
  facts: CompiledGateDeps['facts'],
) => Promise<{ decision: GateDecision; facts: Record<string, unknown> }>;

const withFacts: RulesEvaluation = async (request, definitions) => {
  const {
    trace: _trace,
    facts,
    factFailures: _failures,
    ...decision
  } = await evaluateCompiledRightsWithFacts({
    ...request,
    factDefinitions: definitions ?? {},
    lists: request.lists ?? {},
  });
  return { decision, facts };
};

// With no fact read by any rule, computing facts finds none to compute: the rules alone decide, as they would with facts.
const withoutFacts: RulesEvaluation = async (request) => ({ decision: await decideCompiledRights(request), facts: {} });

/** Decides one call and audits it; returns the tool-gate output (contract shape). */
export async function gateToolCall(deps: GateDeps, raw: unknown): Promise<GateDecision> {
  const { rules, people, ...rest } = deps;
  return gateCompiledCall({ ...rest, rules: compileRules(rules, people) }, raw);
}

/** `gateToolCall` by rules compiled ahead. */
export function gateCompiledCall(deps: CompiledGateDeps, raw: unknown): Promise<GateDecision> {
  return gate(deps, raw, withFacts);
}

/** `gateCompiledCall` for rules that read no facts (`facts.<name>`): synth checks so before it writes the gate's entry. */
export function gateCallWithoutFacts(deps: Omit<CompiledGateDeps, 'facts'>, raw: unknown): Promise<GateDecision> {
  return gate(deps, raw, withoutFacts);
}

async function gate(deps: CompiledGateDeps, raw: unknown, evaluate: RulesEvaluation): Promise<GateDecision> {
  const parsed = toolGateInputSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidGateInputError(`invalid tool-gate input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const event = parsed.data;
  let decision: GateDecision;
  let facts: Record<string, unknown> = {};
  const suspended = await suspensionReadingAhead(deps, event);
  // Suspended, no such tool, or not the agent's: denied before any rule (as `rights explain` says).
  const refusal = suspended
    ? `agent "${event.agentId}" is suspended by ${suspended.byName}${suspended.why ? `: ${suspended.why}` : ''}`
    : refusalBeforeRules({ toolId: event.call.name, agentId: event.agentId }, deps.tools, deps.agents);
  const tool = deps.tools.find((t) => t.id === event.call.name);
  if (refusal !== undefined || !tool) {
    decision = {
      decision: 'deny',
      ruleId: null,
      reason: refusal ?? `there is no tool "${event.call.name}"`,
      inputDigest: inputDigest(event.call.input),
      approval: null,
    };
  } else {
    ({ decision, facts } = await evaluate(
      {
        rules: deps.rules,
        tool,
        agentId: event.agentId,
        workflowId: event.workflowId,
        input: event.call.input,
        now: deps.now ? deps.now() : new Date(),
        counters: deps.counters,
        lists: deps.lists ?? {},
      },
      deps.facts,
    ));
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

/**
 * The agent's suspension; with `readItems`, read in one request with the windows of the limits the call may consult,
 * which the counters then take instead of reading each (a suspended agent's call consults none: they are left unused).
 */
async function suspensionReadingAhead(
  deps: CompiledGateDeps,
  event: { agentId: string | null; workflowId: string | null; call: { name: string } },
): Promise<Control | undefined> {
  if (!event.agentId || !deps.suspensions) return undefined;
  const tool = deps.readItems ? deps.tools.find((t) => t.id === event.call.name) : undefined;
  // BatchGetItem takes 100 keys, the suspension's among them.
  const keys = tool ? limitKeysAhead(deps.rules, { tool, agentId: event.agentId, workflowId: event.workflowId }).slice(0, 99) : [];
  if (!deps.readItems || keys.length === 0) return deps.suspensions.suspension(event.agentId);
  const [control, ...windows] = await deps.readItems([agentControlKey(event.agentId), ...keys.map(windowKey)]);
  deps.counters.readAlready(new Map(keys.map((key, i) => [key, windows[i]])));
  return suspensionOf(control);
}
