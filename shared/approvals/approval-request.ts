/** The approval-request task input (contract shape), validated at the edge. */
import { z } from 'zod';

export const approvalRequestInputSchema = z.object({
  taskToken: z.string().min(1),
  runId: z.string().min(1),
  workflowId: z.string().min(1),
  stepId: z.string().min(1),
  agentId: z.string().min(1).nullable(),
  stage: z.enum(['primary', 'escalation']),
  call: z.object({ toolUseId: z.string().min(1), name: z.string().min(1), input: z.unknown() }).optional(),
  reason: z.string().max(4000).optional(),
  inputDigest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** The decision rule that asked for this approval. */
  ruleId: z.string().min(1).nullable().optional(),
  /** Person ids (or `role:<role>`, resolved here). */
  approvers: z.array(z.string().min(1)).min(1),
  quorum: z.number().int().min(1),
  timeoutSeconds: z.number().int().min(1).max(31_536_000),
  subject: z.string().max(500).optional(),
  details: z.unknown().optional(),
});

export type ApprovalRequestInput = z.infer<typeof approvalRequestInputSchema>;
