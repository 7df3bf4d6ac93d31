/** Replies on Kestrel's helpdesk tickets, through its HTTP API. */
// zod/mini and one tool to a module, as refunds.ts says why.
import * as z from 'zod/mini';
import { defineTool } from '../../../shared/definition';
import { postToBusinessSystem } from '../../../shared/tools/business-api';

export const replyToTicket = defineTool({
  id: 'tickets.reply',
  description: 'Send a public reply to the customer on a helpdesk ticket. The customer receives it by email immediately.',
  input: z.strictObject({
    ticketId: z.string().check(z.minLength(1)),
    body: z.string().check(z.minLength(20), z.maxLength(5000)),
  }),
  sideEffect: 'external',
  idempotent: true,
  handler: (input, ctx) => postToBusinessSystem(ctx, `tickets/${encodeURIComponent(input.ticketId)}/replies`, { body: input.body }),
  describe: (input) => `Reply to the customer on ticket ${input.ticketId}: “${input.body}”`,
});
