/**
 * The fields every AIOS Lambda task of a run receives, and the pieces that
 * travel between tasks (a tool call, its outcome, an approval's outcome).
 * Written once here; each function's contract extends them.
 */
import * as z from '../mini-zod';

const id = () => z.string().check(z.minLength(1));

/** Which run, workflow, step and agent a task works for (`agentId` null for a workflow's own step). */
export const runFieldsSchema = z.strictObject({
  runId: id(),
  workflowId: id(),
  stepId: id(),
  agentId: z.nullable(id()),
});

export type RunFields = z.infer<typeof runFieldsSchema>;

/**
 * One tool call as the agent asked for it (or as a workflow `tool` step
 * states it). `reason` is what the agent said before asking: it travels
 * with the call so the gate's audit, the approval record and the approver's
 * email all see the same words.
 */
export const toolCallSchema = z.strictObject({
  toolUseId: id(),
  /** The AIOS tool id (`refunds.issue`), not the Bedrock name. */
  name: id(),
  input: z.unknown(),
  reason: z.optional(z.string().check(z.maxLength(4000))),
});

export type ToolCallRequest = z.infer<typeof toolCallSchema>;

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

/** What a decided approval sends back to the waiting task (SendTaskSuccess output). */
export const approvalOutcomeSchema = z.object({
  approved: z.boolean(),
  approvalId: id(),
  decidedBy: z.array(z.string()),
  comments: z.array(z.object({ by: z.string(), text: z.string() })),
  decidedAt: z.string(),
});

export type ApprovalOutcome = z.infer<typeof approvalOutcomeSchema>;
