/**
 * Writes replay recordings for the triage agent, one per order number: the
 * model asks for a refund of `amount`, then answers whether or not it ran.
 * Tests use them to drive the decision-rights paths with the real agent loop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const answer = (text: Record<string, unknown>) => ({
  stopReason: 'end_turn',
  output: { message: { role: 'assistant', content: [{ text: JSON.stringify(text) }] } },
});

export function writeRefundRecording(dir: string, orderId: string, amount: number): void {
  mkdirSync(dir, { recursive: true });
  const recording = {
    description: `triage refunds ${orderId} for $${amount}`,
    match: { agent: 'triage', firstMessageContains: [orderId] },
    modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    turns: [
      {
        response: {
          stopReason: 'tool_use',
          output: {
            message: {
              role: 'assistant',
              content: [
                { text: `The customer should get $${amount} back for ${orderId}; proposing the refund.` },
                {
                  toolUse: {
                    toolUseId: `tu_${orderId}`,
                    name: 'refunds_issue',
                    input: { orderId, amount, currency: 'USD', reason: `Ticket about ${orderId}: damaged on arrival.` },
                  },
                },
              ],
            },
          },
        },
      },
      {
        alternatives: [
          {
            whenConversationContains: ['Not run'],
            response: answer({ category: 'refund', summary: `Refund for ${orderId} was not carried out.`, replied: false, refundUsd: null, needsHuman: true }),
          },
        ],
        response: answer({ category: 'refund', summary: `Refunded $${amount} for ${orderId}.`, replied: false, refundUsd: amount, needsHuman: false }),
      },
    ],
  };
  writeFileSync(path.join(dir, `refund-${orderId}.json`), `${JSON.stringify(recording, null, 2)}\n`);
}

/** A Zendesk-like bus event about `orderId` (the shape events/samples/bus/ has). */
export function ticketEvent(orderId: string, ticketId: string): { Source: string; DetailType: string; Detail: string; EventBusName: string } {
  return {
    EventBusName: 'aios',
    Source: 'saas.zendesk',
    DetailType: 'zen:event-type:ticket.created',
    Detail: JSON.stringify({
      type: 'zen:event-type:ticket.created',
      id: `evt-${ticketId}`,
      time: '2026-11-24T09:00:00Z',
      detail: {
        id: ticketId,
        subject: `Order ${orderId} arrived damaged`,
        description: `My order ${orderId} arrived damaged. Please refund it.`,
        requester_id: '77',
      },
    }),
  };
}
