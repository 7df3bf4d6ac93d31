/**
 * A tool's Lambda handler, given the tool itself: no definition is loaded.
 * Each tool function's bundle entry (generated at synth, infra/tool-entries.ts)
 * imports only its own tool's module and this, so it carries that tool's code
 * and SDK clients and no other's; the shared entry (index.ts) uses it too.
 */
import { approvalReader } from '../../shared/approvals/approval-store';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { secretProvider } from '../../shared/composition/secrets';
import { auditWriter, stateTable } from '../../shared/composition/tables';
import { toolPortsFrom, type ToolPortFactories } from '../../shared/composition/tool-ports';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import type { Tool } from '../../shared/definition/tool';
import { runTool, type AgentKnowledge } from '../../shared/tools/run-tool';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';

/** Runs one call of `tool` against the environment's tables and the ports `ports` builds. */
export function runToolCall(env: AiosEnvironment, tool: Tool, agents: readonly AgentKnowledge[], event: unknown, ports: ToolPortFactories) {
  return runTool(
    {
      tool,
      agents,
      state: stateTable(env),
      approvals: approvalReader(stateTable(env)),
      audit: auditWriter(env),
      env: env.vars,
      ports: toolPortsFrom(env, ports),
      secrets: secretProvider(env),
      suspensions: agentSuspensions(new ControlStore(stateTable(env))),
    },
    event,
  );
}

/**
 * The Lambda handler of the function that runs `tool` (agents: who may call it with which knowledge;
 * ports: the factories of the ports its role allows).
 */
export function toolFunctionHandler(env: AiosEnvironment, tool: Tool, agents: readonly AgentKnowledge[], ports: ToolPortFactories = {}) {
  return loggedInvocation((event: unknown) => runToolCall(env, tool, agents, event, ports), runLogging());
}
