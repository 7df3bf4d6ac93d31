/**
 * A tool's Lambda handler, given the tool itself: no definition is loaded.
 * Each tool function's bundle entry (generated at synth, infra/tool-entries.ts)
 * imports only its own tool's module and this, so it carries that tool's code
 * and SDK clients and no other's; the shared entry (index.ts) uses it too.
 */
import middy from '@middy/core';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { AuditLog } from '../../shared/audit/audit-log';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import type { Tool } from '../../shared/definition/tool';
import { openTable } from '../../shared/tables';
import { runTool, type AgentKnowledge } from '../../shared/tools/run-tool';
import { runLogging } from '../run-logging';

/** Runs one call of `tool` against the process's tables. */
export function runToolCall(tool: Tool, agents: readonly AgentKnowledge[], event: unknown) {
  return runTool(
    {
      tool,
      agents,
      state: openTable('state'),
      approvals: new ApprovalStore(openTable('state')),
      audit: new AuditLog(openTable('audit')),
      env: process.env,
      suspensions: agentSuspensions(new ControlStore(openTable('state'))),
    },
    event,
  );
}

/** The Lambda handler of the function that runs `tool` (agents: who may call it with which knowledge). */
export function toolFunctionHandler(tool: Tool, agents: readonly AgentKnowledge[]) {
  return middy()
    .use(runLogging())
    .handler((event: unknown) => runToolCall(tool, agents, event));
}
