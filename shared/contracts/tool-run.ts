/** `aios-tool-<id>`: runs one tool call that the rights (and people) allowed. */
import * as z from '../mini-zod';
import { approvalOutcome, nonEmptyString as id, runFields, toolCall } from './run-fields';

// The run fields spread into a strict object: the same schema `z.extend` gives, without the ~1.3 KiB of zod code
// `extend` brings into every tool function's bundle.
// Built in a call marked pure, so a bundle that never reads it drops it (as in run-fields.ts).
export const toolRunInputSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...runFields().shape,
    call: toolCall(),
    /** Set when the call needed approval: the approval's outcome, re-checked before acting. */
    approval: z._default(z.nullable(approvalOutcome()), null),
    /** The digest the gate evaluated; the call's input must still have it. */
    inputDigest: id(),
    idempotencyKey: id(),
  }))();

export type ToolRunInput = z.input<typeof toolRunInputSchema>;

/**
 * Built in a function marked free of side effects: the tool function returns this shape but never parses it, and
 * a schema built at module level stays in every bundle that loads the module (esbuild cannot prove `.check` pure).
 */
/* @__NO_SIDE_EFFECTS__ */
export function toolRunOutput() {
  return z.object({
    toolUseId: z.string().check(z.minLength(1)),
    status: z.enum(['ran', 'error']),
    message: z.string(),
  });
}

export const toolRunOutputSchema = toolRunOutput();

export type ToolRunOutput = z.infer<typeof toolRunOutputSchema>;
