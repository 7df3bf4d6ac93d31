/** `aios-tool-gate`: decision rights for one tool call, outside the model. */
import * as z from 'zod';
import type { GateDecision } from '../rights/evaluate-rights';
import { runFieldsSchema, toolCallSchema } from './run-fields';

export const toolGateInputSchema = runFieldsSchema.extend({ call: toolCallSchema });

export type ToolGateInput = z.infer<typeof toolGateInputSchema>;

const approversSchema = z.array(z.string().min(1)).min(1);

/** Who must approve, how many, by when, and what happens then. */
export const approvalPlanSchema = z.object({
  approvers: approversSchema,
  quorum: z.number().int().min(1),
  timeoutSeconds: z.number().int().min(1),
  onTimeout: z.enum(['reject', 'escalate']),
  escalation: z.object({ approvers: approversSchema, quorum: z.number().int().min(1), timeoutSeconds: z.number().int().min(1) }).nullable(),
});

export const toolGateOutputSchema = z.object({
  decision: z.enum(['allow', 'approve', 'deny']),
  ruleId: z.string().nullable(),
  reason: z.string(),
  inputDigest: z.string().regex(/^[0-9a-f]{64}$/),
  approval: approvalPlanSchema.nullable(),
}) satisfies z.ZodType<GateDecision>;
