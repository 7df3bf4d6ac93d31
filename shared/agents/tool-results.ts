/**
 * Turns the outcomes of the previous turn's tool calls into the `toolResult`
 * blocks Bedrock requires: one per `toolUse` of the last assistant message, in
 * its order, whatever the outcomes list holds (a missing outcome becomes an
 * error result rather than a request Bedrock would reject).
 */
import type { ContentBlock, Message } from './converse-shapes';
import { toolUses } from './message-content';
import type { ToolOutcome } from './step-contract';

/** Longest tool result text sent back to the model (DynamoDB items stop at 400 KB). */
export const MAX_RESULT_CHARS = 50_000;

const PREFIX: Record<ToolOutcome['status'], string> = {
  ran: '',
  denied: 'Not run: the decision rights deny this call.',
  rejected: 'Not run: the approver rejected this call.',
  timed_out: 'Not run: no approval arrived in time.',
  error: 'The tool call failed.',
};

function resultText(outcome: ToolOutcome): string {
  const prefix = PREFIX[outcome.status];
  const text = prefix && outcome.message ? `${prefix} ${outcome.message}` : prefix || outcome.message || '(no output)';
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n[truncated]` : text;
}

export function toolResultsMessage(
  lastAssistant: Message,
  outcomes: readonly ToolOutcome[],
  refused: readonly { toolUseId: string; message: string }[] = [],
): Message {
  const byId = new Map(outcomes.map((o) => [o.toolUseId, o]));
  const refusedById = new Map(refused.map((r) => [r.toolUseId, r]));
  const content: ContentBlock[] = toolUses(lastAssistant).map((use) => {
    const r = refusedById.get(use.toolUseId);
    const outcome: ToolOutcome = r
      ? { toolUseId: use.toolUseId, status: 'error', message: r.message }
      : (byId.get(use.toolUseId) ?? { toolUseId: use.toolUseId, status: 'error', message: 'no outcome was recorded for this call' });
    return {
      toolResult: {
        toolUseId: use.toolUseId,
        content: [{ text: resultText(outcome) }],
        status: outcome.status === 'ran' ? 'success' : 'error',
      },
    };
  });
  return { role: 'user', content };
}
