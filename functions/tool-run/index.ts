/**
 * The handler of any tool, selected by AIOS_TOOL_ID from the whole
 * definition: the local runtime registers one per tool, and a deployment
 * falls back to it for a tool whose module synth cannot find (its bundle
 * then carries every tool). Deployed tool functions normally get their own
 * entry (infra/tool-entries.ts).
 */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { AiosError } from '../../shared/errors';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';
import { runToolCall } from './tool-function';
import { knowledgeStore } from '../../shared/composition/knowledge';
import { sendEmail } from '../../shared/composition/mailer';
import { eventPublisher } from '../../shared/composition/publisher';

/** Any tool may run here, so every port. */
const ALL_PORTS = { sendEmail, publisher: eventPublisher, knowledge: knowledgeStore };

/** The handler for one tool over `env` (the local runtime registers one per tool). */
export function toolHandler(env: AiosEnvironment, toolId: string) {
  return async (event: unknown) => {
    const os = currentOs(env.vars);
    const tool = os.tools.find((t) => t.id === toolId);
    if (!tool) throw new AiosError('Tool.Unknown', `no tool "${toolId}" in the definition`);
    return runToolCall(env, tool, os.agents, event, ALL_PORTS);
  };
}

/** The handler of a tool function: its tool is AIOS_TOOL_ID. */
export function createHandler(env: AiosEnvironment) {
  return loggedInvocation((event: unknown) => {
    if (!env.toolId) throw new AiosError('Tool.NotConfigured', 'AIOS_TOOL_ID is not set for this function');
    return toolHandler(env, env.toolId)(event);
  }, runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
