/**
 * One handler for every tool's Lambda; each tool's function selects its tool
 * with AIOS_TOOL_ID (its own role holds only what that tool needs).
 */
import middy from '@middy/core';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { toolPorts } from '../../shared/composition/tool-ports';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { AiosError } from '../../shared/errors';
import { runTool } from '../../shared/tools/run-tool';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';

/** The handler for one tool over `env` (the local runtime registers one per tool). */
export function toolHandler(env: AiosEnvironment, toolId: string) {
  return async (event: unknown) => {
    const os = currentOs(env.vars);
    const tool = os.tools.find((t) => t.id === toolId);
    if (!tool) throw new AiosError('Tool.Unknown', `no tool "${toolId}" in the definition`);
    return runTool(
      {
        tool,
        agents: os.agents,
        state: stateTable(env),
        approvals: new ApprovalStore(stateTable(env)),
        audit: auditLog(env),
        env: env.vars,
        ports: toolPorts(env),
        suspensions: agentSuspensions(new ControlStore(stateTable(env))),
      },
      event,
    );
  };
}

/** The handler of a tool function: its tool is AIOS_TOOL_ID. */
export function createHandler(env: AiosEnvironment) {
  return middy().use(runLogging()).handler((event: unknown) => {
    if (!env.toolId) throw new AiosError('Tool.NotConfigured', 'AIOS_TOOL_ID is not set for this function');
    return toolHandler(env, env.toolId)(event);
  });
}

export const handler = createHandler(parseEnvironment(process.env));
