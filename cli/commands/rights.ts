/**
 * `aios rights explain --tool <id> --input '<json>' [--agent <id>] [--workflow <id>] [--at <time>]`:
 * which decision rule applies to a tool call and why each earlier rule did
 * not, with every check the gate makes: the agent must have the tool, the
 * facts the rules read are computed, the time is the local clock (AIOS_CLOCK)
 * unless --at says otherwise. Rolling limits are read from the running runtime's state table (or
 * AWS with AIOS_TARGET=aws) and never consumed.
 */
import type { Command } from 'commander';
import { AiosError } from '../../shared/errors';
import { formatDuration } from '../../shared/rights/duration';
import { clockFromEnv } from '../../shared/clock/local-clock';
import type { RightsEvaluation } from '../../shared/rights/evaluate-rights';
import { evaluateRightsWithFacts, type RightsWithFacts } from '../../shared/rights/evaluate-with-facts';
import { refusalBeforeRules } from '../../shared/rights/facts';
import { inputDigest } from '../../shared/rights/input-digest';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { MemoryTable } from '../../shared/storage/memory-table';
import { openTable } from '../../shared/tables';
import { currentOs } from '../../functions/current-os';
import { ensureLocalEndpointEnv } from '../local-endpoint';
import { printOut } from '../terminal-text';

class ExplainArgumentError extends AiosError {
  constructor(message: string) {
    super('Rights.ExplainArgument', message);
  }
}

function isUnreachable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  return e.name === 'ResourceNotFoundException' || ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code ?? e.cause?.code ?? '') || /ECONNREFUSED/.test(String(e.message));
}

/** The explanation as lines of text. */
export function formatExplanation(toolId: string, e: RightsEvaluation & { facts?: Record<string, unknown>; factFailures?: Record<string, string>; refusedBeforeRules?: boolean }): string {
  const lines = [`decision: ${e.decision}${e.ruleId ? ` (rule ${e.ruleId})` : e.refusedBeforeRules ? ' (before any rule)' : ' (no rule matched)'}`, `reason:   ${e.reason}`];
  for (const [name, value] of Object.entries(e.facts ?? {})) lines.push(`fact:     facts.${name} = ${JSON.stringify(value)}`);
  for (const [name, why] of Object.entries(e.factFailures ?? {})) lines.push(`fact:     facts.${name} could not be computed: ${why}`);
  if (e.approval) {
    const a = e.approval;
    lines.push(`approvers: ${a.approvers.join(', ')} (${a.quorum} of ${a.approvers.length}), within ${formatDuration(a.timeoutSeconds)}`);
    lines.push(a.escalation ? `then:     escalate to ${a.escalation.approvers.join(', ')} (${a.escalation.quorum} of ${a.escalation.approvers.length}), within ${formatDuration(a.escalation.timeoutSeconds)}` : 'then:     reject');
  }
  lines.push(`input digest: ${e.inputDigest}`, '', `rules examined for ${toolId}:`);
  if (e.refusedBeforeRules) lines.push('  (none: the gate refuses the call before reading the rules)');
  else if (e.trace.length === 0) lines.push('  (no rules)');
  for (const t of e.trace) lines.push(`  ${t.matched ? '✓' : '✗'} ${t.ruleId} (${t.outcome}): ${t.why}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const rights = program.command('rights').description('decision rights: what the system may do alone, what needs a person, what is forbidden');
  rights
    .command('explain')
    .description('show which rule decides a tool call, and why each earlier rule did not match')
    .requiredOption('--tool <id>', 'the tool id, e.g. refunds.issue')
    .option('--input <json>', 'the tool input as JSON', '{}')
    .option('--agent <id>', 'the calling agent')
    .option('--workflow <id>', 'the workflow of the run')
    .option('--at <time>', 'evaluate at this ISO time instead of now')
    .action(async (options: { tool: string; input: string; agent?: string; workflow?: string; at?: string }) => {
      const os = currentOs();
      const tool = os.tools.find((t) => t.id === options.tool);
      if (!tool) throw new ExplainArgumentError(`no tool "${options.tool}" (tools: ${os.tools.map((t) => t.id).join(', ')})`);
      if (options.agent && !os.agents.some((a) => a.id === options.agent)) throw new ExplainArgumentError(`no agent "${options.agent}" (agents: ${os.agents.map((a) => a.id).join(', ')})`);
      let input: unknown;
      try {
        input = JSON.parse(options.input);
      } catch (error) {
        throw new ExplainArgumentError(`--input is not JSON: ${(error as Error).message}`);
      }
      const now = options.at ? new Date(options.at) : clockFromEnv()();
      if (Number.isNaN(now.getTime())) throw new ExplainArgumentError(`--at "${options.at}" is not a time (use ISO 8601, e.g. 2025-01-15T10:00:00-08:00)`);
      const agentId = options.agent ?? null;
      // Every check the gate makes, in its order: the tool exists and the agent was given it, then facts and rules.
      const refusal = refusalBeforeRules({ toolId: tool.id, agentId }, os.tools, os.agents);
      if (refusal) {
        const denied = { decision: 'deny' as const, ruleId: null, reason: refusal, inputDigest: inputDigest(input), approval: null, trace: [], refusedBeforeRules: true };
        process.stdout.write(formatExplanation(tool.id, denied));
        return;
      }
      const request = { rules: os.rules, people: os.people, tool, agentId, workflowId: options.workflow ?? null, input, now, consume: false, factDefinitions: os.facts, lists: os.lists };
      const needsCounters = os.rules.some((r) => r.limit);
      let evaluation: RightsWithFacts;
      let note = '';
      try {
        if (needsCounters) ensureLocalEndpointEnv();
        evaluation = await evaluateRightsWithFacts({ ...request, counters: new LimitCounters(needsCounters ? openTable('state') : new MemoryTable()) });
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        evaluation = await evaluateRightsWithFacts({ ...request, counters: new LimitCounters(new MemoryTable()) });
        note = '\nnote: the state table is not reachable (is `npm start` running?), so rolling limits were taken as unused.\n';
      }
      const parsed = tool.input.safeParse(input);
      const warning = parsed.success ? '' : `\nwarning: this input does not match ${tool.id}'s schema, so the tool would refuse it: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}\n`;
      printOut(formatExplanation(tool.id, evaluation) + warning + note);
    });
}
