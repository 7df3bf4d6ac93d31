/** Tools that act in Kestrel's own systems (orders, helpdesk, CRM) through its HTTP API. */
// zod/mini, not classic zod: each tool's Lambda bundles its own module, and the functional entry keeps it small.
import * as z from 'zod/mini';
import { defineTool } from '../../../shared/definition';
import { postToBusinessSystem } from '../../../shared/tools/business-api';

export const issueRefund = defineTool({
  id: 'refunds.issue',
  description: 'Refund part or all of an order to the customer. Use only when the refund policy supports it; give the reason.',
  input: z.strictObject({
    orderId: z.string().check(z.regex(/^KC-\d{4,}$/, 'an order number like KC-10442')),
    amount: z.number().check(z.positive(), z.maximum(10_000), z.describe('amount in US dollars')),
    currency: z.literal('USD'),
    reason: z.string().check(z.minLength(5), z.maxLength(500)),
  }),
  sideEffect: 'external',
  idempotent: true,
  timeoutSeconds: 15,
  handler: (input, ctx) => postToBusinessSystem(ctx, 'refunds', input),
  describe: (input) => `Refund $${input.amount.toFixed(2)} on order ${input.orderId}`,
});

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

export const addCrmNote = defineTool({
  id: 'crm.note',
  description: 'Add an internal note to a contact in the CRM (not visible to the contact).',
  input: z.strictObject({
    // HubSpot sends contact ids as numbers (`objectId: 90412`); the CRM path takes them as text.
    contactId: z.pipe(z.union([z.string().check(z.minLength(1)), z.int().check(z.nonnegative())]), z.transform(String)),
    body: z.string().check(z.minLength(5), z.maxLength(5000)),
  }),
  sideEffect: 'write',
  idempotent: true,
  handler: (input, ctx) => postToBusinessSystem(ctx, `crm/contacts/${encodeURIComponent(String(input.contactId))}/notes`, { body: input.body }),
  describe: (input) => `Add a CRM note to contact ${input.contactId}: “${input.body}”`,
});
