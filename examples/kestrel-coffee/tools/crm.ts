/** Notes on Kestrel's CRM contacts, through its HTTP API. */
// zod/mini and one tool to a module, as refunds.ts says why.
import * as z from 'zod/mini';
import { defineTool } from '../../../shared/definition';
import { postToBusinessSystem } from '../../../shared/tools/business-api';

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
