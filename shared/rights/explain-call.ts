/**
 * The answer `aios rights explain` gives for a hypothetical tool call, as
 * text: which rule decides it and why each earlier rule did not, with every
 * check the gate makes first (the tool exists, the agent was given it). One
 * function, so the CLI and the console's explain form cannot disagree.
 */
import type * as core from 'zod/v4/core';
import { AiosError } from '../errors';
import { safeParse } from '../mini-zod';
import { formatDuration } from './duration';
import { compileRules, type CompiledRule } from './compiled-rules';
import type { RightsPerson } from './approvers';
import type { RightsEvaluation, RightsTool } from './evaluate-rights';
import { evaluateCompiledRightsWithFacts } from './evaluate-with-facts';
import { refusalBeforeRules, type FactDefinition, type Lists } from './facts';
import { inputDigest } from './input-digest';
import type { LimitCounters } from './limit-counters';
import type { DecisionRule } from './rule-schema';

export class ExplainArgumentError extends AiosError {
  constructor(message: string) {
    super('Rights.ExplainArgument', message);
  }
}

export interface ExplainQuestion {
  toolId: string;
  /** The tool input as JSON text. */
  input: string;
  agentId?: string;
  workflowId?: string;
  /** ISO time to evaluate at; default `now`. */
  at?: string;
}

/**
 * What explaining reads of the definition, its rules compiled against the people (compiled-rules.ts) as the
 * gate evaluates them: the console's entry carries them compiled at synth, so it has no expression parser.
 */
export interface ExplainDefinition {
  tools: readonly (RightsTool & { input: core.$ZodType })[];
  agents: readonly { id: string; tools: readonly string[] }[];
  rules: readonly CompiledRule[];
  facts: Readonly<Record<string, FactDefinition>>;
  lists: Lists;
}

/** A definition as written (a `ValidOs`, the CLI's) with its rules compiled, to explain calls with. */
export function explainDefinition<D extends Omit<ExplainDefinition, 'rules'> & { rules: readonly DecisionRule[]; people: readonly RightsPerson[] }>(
  os: D,
): ExplainDefinition {
  return { ...os, rules: compileRules(os.rules, os.people) };
}

/** The explanation as lines of text. */
export function formatExplanation(
  toolId: string,
  e: RightsEvaluation & { facts?: Record<string, unknown>; factFailures?: Record<string, string>; refusedBeforeRules?: boolean },
): string {
  const lines = [
    `decision: ${e.decision}${e.ruleId ? ` (rule ${e.ruleId})` : e.refusedBeforeRules ? ' (before any rule)' : ' (no rule matched)'}`,
    `reason:   ${e.reason}`,
  ];
  for (const [name, value] of Object.entries(e.facts ?? {})) lines.push(`fact:     facts.${name} = ${JSON.stringify(value)}`);
  for (const [name, why] of Object.entries(e.factFailures ?? {})) lines.push(`fact:     facts.${name} could not be computed: ${why}`);
  if (e.approval) {
    const a = e.approval;
    lines.push(`approvers: ${a.approvers.join(', ')} (${a.quorum} of ${a.approvers.length}), within ${formatDuration(a.timeoutSeconds)}`);
    lines.push(
      a.escalation
        ? `then:     escalate to ${a.escalation.approvers.join(', ')} (${a.escalation.quorum} of ${a.escalation.approvers.length}), within ${formatDuration(a.escalation.timeoutSeconds)}`
        : 'then:     reject',
    );
  }
  lines.push(`input digest: ${e.inputDigest}`, '', `rules examined for ${toolId}:`);
  if (e.refusedBeforeRules) lines.push('  (none: the gate refuses the call before reading the rules)');
  else if (e.trace.length === 0) lines.push('  (no rules)');
  for (const t of e.trace) lines.push(`  ${t.matched ? '✓' : '✗'} ${t.ruleId} (${t.outcome}): ${t.why}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Explains a call. Rolling limits are read from `counters` and never consumed.
 *
 * @throws ExplainArgumentError for an unknown tool or agent, input that is not JSON, or a time that is not one
 */
export async function explainCall(os: ExplainDefinition, q: ExplainQuestion, options: { now: Date; counters: LimitCounters }): Promise<string> {
  const tool = os.tools.find((t) => t.id === q.toolId);
  if (!tool) throw new ExplainArgumentError(`no tool "${q.toolId}" (tools: ${os.tools.map((t) => t.id).join(', ')})`);
  if (q.agentId && !os.agents.some((a) => a.id === q.agentId))
    throw new ExplainArgumentError(`no agent "${q.agentId}" (agents: ${os.agents.map((a) => a.id).join(', ')})`);
  let input: unknown;
  try {
    input = JSON.parse(q.input);
  } catch (error) {
    throw new ExplainArgumentError(`--input is not JSON: ${(error as Error).message}`);
  }
  const now = q.at ? new Date(q.at) : options.now;
  if (Number.isNaN(now.getTime())) throw new ExplainArgumentError(`--at "${q.at}" is not a time (use ISO 8601, e.g. 2025-01-15T10:00:00-08:00)`);
  const agentId = q.agentId ?? null;
  // Every check the gate makes, in its order: the tool exists and the agent was given it, then facts and rules.
  const refusal = refusalBeforeRules({ toolId: tool.id, agentId }, os.tools, os.agents);
  if (refusal)
    return formatExplanation(tool.id, {
      decision: 'deny',
      ruleId: null,
      reason: refusal,
      inputDigest: inputDigest(input),
      approval: null,
      trace: [],
      refusedBeforeRules: true,
    });
  const evaluation = await evaluateCompiledRightsWithFacts({
    rules: os.rules,
    tool,
    agentId,
    workflowId: q.workflowId ?? null,
    input,
    now,
    consume: false,
    factDefinitions: os.facts,
    lists: os.lists,
    counters: options.counters,
  });
  const parsed = safeParse(tool.input, input);
  const warning = parsed.success
    ? ''
    : `\nwarning: this input does not match ${tool.id}'s schema, so the tool would refuse it: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}\n`;
  return formatExplanation(tool.id, evaluation) + warning;
}
