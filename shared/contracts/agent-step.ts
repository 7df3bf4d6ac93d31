/**
 * `aios-agent-step`: one think step of an agent loop. The state carries ids,
 * the turn and short outcomes; everything large stays in DynamoDB.
 */
import * as z from 'zod';
import { runFieldsSchema, toolOutcomeSchema } from './run-fields';

export const agentStepInputSchema = runFieldsSchema.extend({
  agentId: z.string().min(1),
  /** What the workflow asks of the agent (the step's `task`). */
  task: z.string().optional(),
  /** Turns already taken in this step: 0 for the first call; the output's `turn` is this plus one. */
  turn: z.number().int().min(0),
  outcomes: z.array(toolOutcomeSchema).default([]),
  /** The data the task is about (the step's `input`). */
  input: z.unknown(),
});

export type AgentStepInput = z.input<typeof agentStepInputSchema>;

/** A call the model asked for; `reason` is '' when the model said nothing first. */
export const agentToolCallSchema = z.strictObject({
  toolUseId: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  reason: z.string(),
});

export type ToolCall = z.infer<typeof agentToolCallSchema>;

export const stepUsageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() });

export type StepUsage = z.infer<typeof stepUsageSchema>;

export const agentStepOutputSchema = z.object({
  status: z.enum(['tool_use', 'done']),
  /** The turns taken so far, this one included: the state machine's loop counter. */
  turn: z.number().int().min(1),
  toolCalls: z.array(agentToolCallSchema),
  output: z.record(z.string(), z.unknown()).nullable(),
  usage: stepUsageSchema,
});

export type AgentStepOutput = z.infer<typeof agentStepOutputSchema>;
