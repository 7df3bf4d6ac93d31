/**
 * One handler for every tool's Lambda; each tool's function selects its tool
 * with AIOS_TOOL_ID (its own role holds only what that tool needs).
 */
import middy from '@middy/core';
import { runLogging } from '../run-logging';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { AuditLog } from '../../shared/audit/audit-log';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { AiosError } from '../../shared/errors';
import { openTable } from '../../shared/tables';
import { runTool } from '../../shared/tools/run-tool';
import { currentOs } from '../current-os';

/** The handler for one tool (the local runtime registers one per tool). */
export function toolHandler(toolId: string) {
  return async (event: unknown) => {
    const os = currentOs();
    const tool = os.tools.find((t) => t.id === toolId);
    if (!tool) throw new AiosError('Tool.Unknown', `no tool "${toolId}" in the definition`);
    return runTool(
      {
        tool,
        agents: os.agents,
        state: openTable('state'),
        approvals: new ApprovalStore(openTable('state')),
        audit: new AuditLog(openTable('audit')),
        env: process.env,
        suspensions: agentSuspensions(new ControlStore(openTable('state'))),
      },
      event,
    );
  };
}

export const handler = middy().use(runLogging()).handler((event: unknown) => {
  const toolId = process.env.AIOS_TOOL_ID;
  if (!toolId) throw new AiosError('Tool.NotConfigured', 'AIOS_TOOL_ID is not set for this function');
  return toolHandler(toolId)(event);
});
