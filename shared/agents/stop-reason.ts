/**
 * What a Converse answer means for the loop, by stop reason:
 * - `tool_use` (or any answer carrying toolUse blocks): tool calls, the ones
 *   naming a tool the agent does not have refused here;
 * - `end_turn`, `stop_sequence`: a final answer;
 * - `max_tokens`, `malformed_model_output`, `malformed_tool_use`: worth one re-ask;
 * - `guardrail_intervened`, `content_filtered`, anything else: a typed failure.
 */
import type { ConverseResponse, Message } from './converse-shapes';
import { messageText, toolUses } from './message-content';
import { ContentFilteredError, GuardrailIntervenedError, ModelStoppedError } from './errors';
import type { ToolCall } from './step-contract';
import type { ToolNameMap } from './tool-names';
import { CUT_OFF_MESSAGE } from './prompt';
import type { AiosError } from '../errors';

export type Interpretation =
  | { kind: 'tool_use'; calls: ToolCall[]; refused: { toolUseId: string; message: string }[] }
  | { kind: 'final'; text: string }
  /** `keep` is the assistant message to store (without unusable toolUse blocks); `ask` the re-ask. */
  | { kind: 'reask'; keep: Message; ask: string }
  | { kind: 'fail'; error: AiosError };

const MAX_REASON_CHARS = 500;

export function interpret(agentId: string, response: ConverseResponse, names: ToolNameMap): Interpretation {
  const message = response.output.message;
  const uses = toolUses(message);
  switch (response.stopReason) {
    case 'guardrail_intervened':
      return { kind: 'fail', error: new GuardrailIntervenedError(agentId, messageText(message) || 'no message') };
    case 'content_filtered':
      return { kind: 'fail', error: new ContentFilteredError(agentId) };
    case 'max_tokens':
      return { kind: 'reask', keep: textOnly(message), ask: CUT_OFF_MESSAGE };
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return { kind: 'reask', keep: textOnly(message), ask: 'Your last answer was malformed (an invalid tool call or output). Try again.' };
    case 'tool_use':
    case 'end_turn':
    case 'stop_sequence':
      if (uses.length > 0) return toolCalls(message, names);
      return { kind: 'final', text: messageText(message) };
    default:
      return { kind: 'fail', error: new ModelStoppedError(agentId, response.stopReason) };
  }
}

function toolCalls(message: Message, names: ToolNameMap): Interpretation {
  const calls: ToolCall[] = [];
  const refused: { toolUseId: string; message: string }[] = [];
  let said = '';
  for (const block of message.content) {
    if ('text' in block && typeof block.text === 'string') said = `${said}\n${block.text}`.trim();
    if (!('toolUse' in block) || !block.toolUse) continue;
    const use = block.toolUse as { toolUseId: string; name: string; input: unknown };
    const id = names.toToolId(use.name);
    if (id === undefined) {
      refused.push({ toolUseId: use.toolUseId, message: `"${use.name}" is not one of your tools; use only the tools you were given.` });
      continue;
    }
    calls.push({ toolUseId: use.toolUseId, name: id, input: use.input ?? {}, reason: said ? said.slice(0, MAX_REASON_CHARS) : '' });
  }
  return { kind: 'tool_use', calls, refused };
}

/** The message without toolUse blocks (never empty: Bedrock rejects empty content). */
function textOnly(message: Message): Message {
  const content = message.content.filter((b) => !('toolUse' in b) && !('text' in b && typeof b.text === 'string' && b.text.trim() === ''));
  return { role: 'assistant', content: content.length > 0 ? content : [{ text: '(cut off)' }] };
}
