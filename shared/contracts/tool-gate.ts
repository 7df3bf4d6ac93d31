/** `aios-tool-gate`: decision rights for one tool call, outside the model. */
import * as z from '../mini-zod';
import type { GateDecision } from '../rights/evaluate-rights';
import { runFieldsSchema, toolCallSchema } from './run-fields';

// Built by functions marked free of side effects, as in run-fields.ts.
export const toolGateInputSchema = /* @__PURE__ */ (() => z.extend(runFieldsSchema, { call: toolCallSchema }))();

export type ToolGateInput = z.infer<typeof toolGateInputSchema>;

/* @__NO_SIDE_EFFECTS__ */
const approvers = () => z.array(z.string().check(z.minLength(1))).check(z.minLength(1));
const atLeastOne = () => z.int().check(z.minimum(1));

/** Who must approve, how many, by when, and what happens then. */
/* @__NO_SIDE_EFFECTS__ */
const approvalPlan = () =>
  z.object({
    approvers: approvers(),
    quorum: atLeastOne(),
    timeoutSeconds: atLeastOne(),
    onTimeout: z.enum(['reject', 'escalate']),
    escalation: z.nullable(z.object({ approvers: approvers(), quorum: atLeastOne(), timeoutSeconds: atLeastOne() })),
  });

export const approvalPlanSchema = approvalPlan();

/* @__NO_SIDE_EFFECTS__ */
export const toolGateOutput = () =>
  z.object({
    decision: z.enum(['allow', 'approve', 'deny']),
    ruleId: z.nullable(z.string()),
    reason: z.string(),
    inputDigest: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    approval: z.nullable(approvalPlan()),
  }) satisfies z.ZodMiniType<GateDecision>;

export const toolGateOutputSchema = toolGateOutput();
