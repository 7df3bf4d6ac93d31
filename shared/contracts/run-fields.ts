/**
 * The fields every AIOS Lambda task of a run receives, and the pieces that
 * travel between tasks (a tool call, its outcome, an approval's outcome).
 * Written once here; each function's contract extends them.
 */
import * as z from '../mini-zod';

// Each schema is built by a function marked free of side effects, so a bundle that never reads it drops it (esbuild cannot
// prove a `.check` call pure). The console's run timeline builds the task results it recognises on first use
// (shared/run-timeline/task-outcome.ts) with these functions: nothing of the contract is built while its Lambda loads.
// (The functions come first and the schemas after: esbuild then declares the functions in one statement, a few bytes less.)

/** A non-empty string: an id, a token, a digest (exported as `nonEmptyString`). */
const id = () => z.string().check(z.minLength(1));
export { id as nonEmptyString };

/** Which run, workflow, step and agent a task works for (`agentId` null for a workflow's own step). */
/* @__NO_SIDE_EFFECTS__ */
export const runFields = () =>
  z.strictObject({
    runId: id(),
    workflowId: id(),
    stepId: id(),
    agentId: z.nullable(id()),
  });

/**
 * One tool call as the agent asked for it (or as a workflow `tool` step
 * states it). `reason` is what the agent said before asking: it travels
 * with the call so the gate's audit, the approval record and the approver's
 * email all see the same words.
 */
/* @__NO_SIDE_EFFECTS__ */
export const toolCall = () =>
  z.strictObject({
    toolUseId: id(),
    /** The AIOS tool id (`refunds.issue`), not the Bedrock name. */
    name: id(),
    input: z.unknown(),
    reason: z.optional(z.string().check(z.maxLength(4000))),
  });

/** What a decided approval sends back to the waiting task (SendTaskSuccess output). */
/* @__NO_SIDE_EFFECTS__ */
export const approvalOutcome = () =>
  z.object({
    approved: z.boolean(),
    approvalId: id(),
    decidedBy: z.array(z.string()),
    comments: z.array(z.object({ by: z.string(), text: z.string() })),
    decidedAt: z.string(),
  });

export const runFieldsSchema = runFields();

export type RunFields = z.infer<typeof runFieldsSchema>;

export const toolCallSchema = toolCall();

export type ToolCallRequest = z.infer<typeof toolCallSchema>;

export const approvalOutcomeSchema = approvalOutcome();

export type ApprovalOutcome = z.infer<typeof approvalOutcomeSchema>;

/**
 * What the agent loop is told about one call: short, so it fits in the state. Built in a function marked free of
 * side effects, so the bundles that load these fields without parsing an outcome (the tool functions) drop it.
 */
/* @__NO_SIDE_EFFECTS__ */
function toolOutcome() {
  return z.object({
    toolUseId: id(),
    status: z.enum(['ran', 'denied', 'rejected', 'timed_out', 'error']),
    message: z.string(),
  });
}

export const toolOutcomeSchema = toolOutcome();

export type ToolOutcome = z.infer<typeof toolOutcomeSchema>;
