/** `aios-tool-<id>`: runs one tool call that the rights (and people) allowed. */
import * as z from 'zod';
import { approvalOutcomeSchema, runFieldsSchema, toolCallSchema } from './run-fields';

export const toolRunInputSchema = runFieldsSchema.extend({
  call: toolCallSchema,
  /** Set when the call needed approval: the approval's outcome, re-checked before acting. */
  approval: approvalOutcomeSchema.nullable().default(null),
  /** The digest the gate evaluated; the call's input must still have it. */
  inputDigest: z.string().min(1),
  idempotencyKey: z.string().min(1),
});

export type ToolRunInput = z.input<typeof toolRunInputSchema>;

export const toolRunOutputSchema = z.object({
  toolUseId: z.string().min(1),
  status: z.enum(['ran', 'error']),
  message: z.string(),
});

export type ToolRunOutput = z.infer<typeof toolRunOutputSchema>;
