/**
 * `aios-approval-request`: asks people (invoked with `.waitForTaskToken`),
 * or records that the workflow's deadline passed (`action: 'expire'`).
 */
import * as z from '../mini-zod';
import { nonEmptyString as id, runFields, toolCall } from './run-fields';

// Built by functions marked free of side effects, as in run-fields.ts.
/* @__NO_SIDE_EFFECTS__ */
export const approvalRequestInput = () =>
  z.extend(runFields(), {
    taskToken: id(),
    stage: z.enum(['primary', 'escalation']),
    /** The tool call to approve (an agent's or a tool step's); absent for an approval step. */
    call: z.optional(toolCall()),
    /** The rule that asked for approval (null when none matched). */
    ruleId: z.optional(z.nullable(id())),
    inputDigest: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
    /** An approval step's question and the data shown with it. */
    subject: z.optional(z.string().check(z.maxLength(500))),
    details: z.optional(z.unknown()),
    /** Person ids (or `role:<role>`, resolved by the approval service). */
    approvers: z.array(id()).check(z.minLength(1)),
    quorum: z.int().check(z.minimum(1)),
    timeoutSeconds: z.int().check(z.minimum(1), z.maximum(31_536_000)),
  });

export const approvalRequestInputSchema = approvalRequestInput();

export type ApprovalRequestInput = z.infer<typeof approvalRequestInputSchema>;

/** The workflow's own deadline passed: close the call's approval (if still pending) and audit it. */
export const approvalExpireInputSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    action: z.literal('expire'),
    runId: id(),
    stepId: id(),
    toolUseId: z.nullable(id()),
  }))();

export type ApprovalExpireInput = z.infer<typeof approvalExpireInputSchema>;

export const approvalExpireOutputSchema = /* @__PURE__ */ (() => z.object({ expired: z.boolean(), approvalId: z.nullable(z.string()) }))();
