/**
 * Reading a Converse message: its text, its tool calls. Apart from the wire
 * schemas (converse-shapes.ts, classic zod, for the local endpoint), so the
 * agent step carries these few lines and not the schemas.
 */
import type { Message, ToolUseBlock } from './converse-shapes';

/** The text blocks of a message, joined by newlines. */
export function messageText(message: Message): string {
  return message.content
    .map((b) => ('text' in b && typeof b.text === 'string' ? b.text : undefined))
    .filter((t): t is string => t !== undefined)
    .join('\n');
}

/** The toolUse blocks of a message, in order. */
export function toolUses(message: Message): ToolUseBlock[] {
  return message.content.flatMap((b) => ('toolUse' in b && b.toolUse ? [b.toolUse as ToolUseBlock] : []));
}
