/**
 * `aios rights explain --tool <id> --input '<json>' [--agent <id>] [--workflow <id>] [--at <time>]`:
 * which decision rule applies to a tool call and why each earlier rule did
 * not. Rolling limits are read from the running runtime's state table (or
 * AWS with AIOS_TARGET=aws) and never consumed.
 */
import type { Command } from 'commander';
import { AiosError } from '../../shared/errors';
import { formatDuration } from '../../shared/rights/duration';
import { evaluateRights, type RightsEvaluation } from '../../shared/rights/evaluate-rights';
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
export function formatExplanation(toolId: string, e: RightsEvaluation): string {
  const lines = [`decision: ${e.decision}${e.ruleId ? ` (rule ${e.ruleId})` : ' (no rule matched)'}`, `reason:   ${e.reason}`];
  if (e.approval) {
    const a = e.approval;
    lines.push(`approvers: ${a.approvers.join(', ')} (${a.quorum} of ${a.approvers.length}), within ${formatDuration(a.timeoutSeconds)}`);
    lines.push(a.escalation ? `then:     escalate to ${a.escalation.approvers.join(', ')} (${a.escalation.quorum} of ${a.escalation.approvers.length}), within ${formatDuration(a.escalation.timeoutSeconds)}` : 'then:     reject');
  }
  lines.push(`input digest: ${e.inputDigest}`, '', `rules examined for ${toolId}:`);
  if (e.trace.length === 0) lines.push('  (no rules)');
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
      const now = options.at ? new Date(options.at) : new Date();
      if (Number.isNaN(now.getTime())) throw new ExplainArgumentError(`--at "${options.at}" is not a time (use ISO 8601, e.g. 2025-01-15T10:00:00-08:00)`);
      const request = { rules: os.rules, people: os.people, tool, agentId: options.agent ?? null, workflowId: options.workflow ?? null, input, now, consume: false };
      const needsCounters = os.rules.some((r) => r.limit);
      let evaluation: RightsEvaluation;
      let note = '';
      try {
        if (needsCounters) ensureLocalEndpointEnv();
        evaluation = await evaluateRights({ ...request, counters: new LimitCounters(needsCounters ? openTable('state') : new MemoryTable()) });
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        evaluation = await evaluateRights({ ...request, counters: new LimitCounters(new MemoryTable()) });
        note = '\nnote: the state table is not reachable (is `npm start` running?), so rolling limits were taken as unused.\n';
      }
      const parsed = tool.input.safeParse(input);
      const warning = parsed.success ? '' : `\nwarning: this input does not match ${tool.id}'s schema, so the tool would refuse it: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}\n`;
      printOut(formatExplanation(tool.id, evaluation) + warning + note);
    });
}
