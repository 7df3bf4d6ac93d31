/** `aios-tool-<id>`: runs one tool call that the rights (and people) allowed. */
import * as z from '../mini-zod';
import { approvalOutcomeSchema, runFieldsSchema, toolCallSchema } from './run-fields';

export const toolRunInputSchema = z.extend(runFieldsSchema, {
  call: toolCallSchema,
  /** Set when the call needed approval: the approval's outcome, re-checked before acting. */
  approval: z._default(z.nullable(approvalOutcomeSchema), null),
  /** The digest the gate evaluated; the call's input must still have it. */
  inputDigest: z.string().check(z.minLength(1)),
  idempotencyKey: z.string().check(z.minLength(1)),
});

export type ToolRunInput = z.input<typeof toolRunInputSchema>;

export const toolRunOutputSchema = z.object({
  toolUseId: z.string().check(z.minLength(1)),
  status: z.enum(['ran', 'error']),
  message: z.string(),
});

export type ToolRunOutput = z.infer<typeof toolRunOutputSchema>;
