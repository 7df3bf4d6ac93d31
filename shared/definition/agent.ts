import * as z from 'zod';
import * as core from 'zod/v4/core';
import { retiredModel } from '../agents/retired-models';

export interface AgentDefinition<Id extends string = string, ToolId extends string = string, Namespace extends string = string> {
  id: Id;
  /** A Bedrock model id or inference profile, e.g. `us.anthropic.claude-haiku-4-5-20251001-v1:0`; a retired model is refused. */
  model: string;
  instructions: string;
  tools: readonly ToolId[];
  /** Knowledge namespaces searched for the task before the first turn. */
  knowledge?: readonly Namespace[];
  /** The final output's schema; without it the final answer is `{ text }`. */
  output?: core.$ZodType;
  /** Think → act rounds before the run fails (default 8). */
  maxTurns?: number;
  /** Input + output tokens allowed per run (default 100000). */
  tokenBudget?: number;
  maxTokens?: number;
  temperature?: number;
  guardrail?: { id: string; version: string };
  /** USD per 1,000 tokens, overriding the built-in price table for this model. */
  prices?: { inputPer1k: number; outputPer1k: number };
}

export const agentSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter')
    .max(48),
  model: z
    .string()
    .regex(/^[a-z0-9.-]+(?::[a-z0-9.-]+)*$|^arn:aws[a-z-]*:bedrock:/, 'a Bedrock model id (e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0) or an ARN')
    .superRefine((model, ctx) => {
      const retired = retiredModel(model);
      if (retired)
        ctx.addIssue({
          code: 'custom',
          message: `${model} reached end of life on Bedrock on ${retired.endOfLife}: every call to it fails; use ${retired.successor}`,
        });
    }),
  instructions: z.string().min(20, 'instructions must tell the agent its job (at least 20 characters)'),
  tools: z.array(z.string()),
  knowledge: z.array(z.string()).default([]),
  output: z.custom<core.$ZodType>((v) => v instanceof core.$ZodType, 'a zod schema (classic or zod/mini)').optional(),
  maxTurns: z.number().int().min(1).max(50).default(8),
  tokenBudget: z.number().int().min(1000).default(100_000),
  maxTokens: z.number().int().min(1).max(64_000).default(2048),
  temperature: z.number().min(0).max(1).optional(),
  guardrail: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }).optional(),
  prices: z.strictObject({ inputPer1k: z.number().min(0), outputPer1k: z.number().min(0) }).optional(),
});

export type Agent = z.infer<typeof agentSchema>;

/** Declares an agent; literal ids become types for workflows and rules. */
export function defineAgent<const Id extends string, const ToolId extends string, const Namespace extends string = never>(
  agent: AgentDefinition<Id, ToolId, Namespace>,
): AgentDefinition<Id, ToolId, Namespace> {
  return agent;
}
