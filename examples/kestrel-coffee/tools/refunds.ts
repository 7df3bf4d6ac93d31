/** Refunds on Kestrel's orders, through its HTTP API. */
// zod/mini, not classic zod, and one tool to a module: each tool's Lambda bundles its tool's module and builds every schema
// the module declares while it loads, so a module of several tools would build each of them in each of their functions.
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
