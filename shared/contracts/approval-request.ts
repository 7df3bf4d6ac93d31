/**
 * `aios-approval-request`: asks people (invoked with `.waitForTaskToken`),
 * or records that the workflow's deadline passed (`action: 'expire'`).
 */
import * as z from 'zod';
import { runFieldsSchema, toolCallSchema } from './run-fields';

export const approvalRequestInputSchema = runFieldsSchema.extend({
  taskToken: z.string().min(1),
  stage: z.enum(['primary', 'escalation']),
  /** The tool call to approve (an agent's or a tool step's); absent for an approval step. */
  call: toolCallSchema.optional(),
  /** The rule that asked for approval (null when none matched). */
  ruleId: z.string().min(1).nullable().optional(),
  inputDigest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** An approval step's question and the data shown with it. */
  subject: z.string().max(500).optional(),
  details: z.unknown().optional(),
  /** Person ids (or `role:<role>`, resolved by the approval service). */
  approvers: z.array(z.string().min(1)).min(1),
  quorum: z.number().int().min(1),
  timeoutSeconds: z.number().int().min(1).max(31_536_000),
});

export type ApprovalRequestInput = z.infer<typeof approvalRequestInputSchema>;

/** The workflow's own deadline passed: close the call's approval (if still pending) and audit it. */
export const approvalExpireInputSchema = z.strictObject({
  action: z.literal('expire'),
  runId: z.string().min(1),
  stepId: z.string().min(1),
  toolUseId: z.string().min(1).nullable(),
});

export type ApprovalExpireInput = z.infer<typeof approvalExpireInputSchema>;

export const approvalExpireOutputSchema = z.object({ expired: z.boolean(), approvalId: z.string().nullable() });
