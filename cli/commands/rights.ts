/**
 * `aios rights explain --tool <id> --input '<json>' [--agent <id>] [--workflow <id>] [--at <time>]`:
 * which decision rule applies to a tool call and why each earlier rule did
 * not, with every check the gate makes: the agent must have the tool, the
 * facts the rules read are computed, the time is the local clock (AIOS_CLOCK)
 * unless --at says otherwise. Rolling limits are read from the running runtime's state table (or
 * AWS with AIOS_TARGET=aws) and never consumed.
 */
import type { Command } from 'commander';
import { clock } from '../../shared/composition/clock';
import { stateTable } from '../../shared/composition/tables';
import { explainCall, explainDefinition, formatExplanation } from '../../shared/rights/explain-call';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { MemoryTable } from '../../shared/storage/memory-table';
import { currentOs } from '../../functions/current-os';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { printOut } from '../terminal-text';

function isUnreachable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  return (
    e.name === 'ResourceNotFoundException' ||
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code ?? e.cause?.code ?? '') ||
    /ECONNREFUSED/.test(String(e.message))
  );
}

export { formatExplanation };

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
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
      const env = cli.current();
      const os = currentOs(env.vars);
      const question = {
        toolId: options.tool,
        input: options.input,
        ...(options.agent ? { agentId: options.agent } : {}),
        ...(options.workflow ? { workflowId: options.workflow } : {}),
        ...(options.at ? { at: options.at } : {}),
      };
      const now = clock(env)();
      const needsCounters = os.rules.some((r) => r.limit);
      const definition = explainDefinition(os);
      let text: string;
      let note = '';
      try {
        text = await explainCall(definition, question, { now, counters: new LimitCounters(needsCounters ? stateTable(env) : new MemoryTable()) });
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        text = await explainCall(definition, question, { now, counters: new LimitCounters(new MemoryTable()) });
        note = '\nnote: the state table is not reachable (is `npm start` running?), so rolling limits were taken as unused.\n';
      }
      printOut(text + note);
    });
}
