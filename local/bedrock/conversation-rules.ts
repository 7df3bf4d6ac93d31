/**
 * The checks Bedrock applies to a conversation before any model sees it, so
 * a request the local endpoint accepts is one real Bedrock would accept too:
 * it starts with a user message, roles alternate, no text block is blank,
 * and every toolUse is answered by a toolResult in the next user message
 * (and no toolResult answers nothing).
 */
import type { Message } from '../../shared/agents/converse-shapes';

/** The first rule the messages break, as Bedrock words it, or undefined. */
export function conversationProblem(messages: readonly Message[]): string | undefined {
  if (messages.length === 0) return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  if (messages[0].role !== 'user') return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (i > 0 && messages[i - 1].role === m.role)
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    if (m.content.length === 0)
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    for (let j = 0; j < m.content.length; j++) {
      const b = m.content[j] as { text?: unknown; toolUse?: { toolUseId?: string }; toolResult?: { toolUseId?: string } };
      if (typeof b.text === 'string' && b.text.trim() === '')
        return `The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`;
      if (b.toolUse && m.role !== 'assistant') return `messages.${i}.content.${j}: a toolUse block must be in an assistant message.`;
      if (b.toolResult && m.role !== 'user') return `messages.${i}.content.${j}: a toolResult block must be in a user message.`;
    }
    const uses =
      m.role === 'assistant'
        ? m.content.flatMap((b) => ((b as { toolUse?: { toolUseId: string } }).toolUse ? [(b as { toolUse: { toolUseId: string } }).toolUse.toolUseId] : []))
        : [];
    const next = messages[i + 1];
    const results = next
      ? next.content.flatMap((b) =>
          (b as { toolResult?: { toolUseId: string } }).toolResult ? [(b as { toolResult: { toolUseId: string } }).toolResult.toolUseId] : [],
        )
      : [];
    if (next && uses.length !== results.length) {
      return `Expected toolResult blocks at messages.${i + 1}.content for the following Ids: ${uses.filter((u) => !results.includes(u)).join(', ') || '(none)'}; got ${results.length} toolResult block(s) for ${uses.length} toolUse block(s).`;
    }
    const unknown = results.filter((r) => !uses.includes(r));
    if (next && unknown.length > 0) return `messages.${i + 1}.content has toolResult blocks for ids that the previous turn did not use: ${unknown.join(', ')}`;
  }
  return undefined;
}
