/**
 * `aios-agent-step`: one think step of an agent loop. The state carries ids,
 * the turn and short outcomes; everything large stays in DynamoDB.
 */
import * as z from '../mini-zod';
import { runFieldsSchema, toolOutcomeSchema } from './run-fields';

export const agentStepInputSchema = z.extend(runFieldsSchema, {
  agentId: z.string().check(z.minLength(1)),
  /** What the workflow asks of the agent (the step's `task`). */
  task: z.optional(z.string()),
  /** Turns already taken in this step: 0 for the first call; the output's `turn` is this plus one. */
  turn: z.int().check(z.minimum(0)),
  outcomes: z._default(z.array(toolOutcomeSchema), []),
  /** The data the task is about (the step's `input`). */
  input: z.unknown(),
});

export type AgentStepInput = z.input<typeof agentStepInputSchema>;

/** A call the model asked for; `reason` is '' when the model said nothing first. */
export const agentToolCallSchema = z.strictObject({
  toolUseId: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  input: z.unknown(),
  reason: z.string(),
});

export type ToolCall = z.infer<typeof agentToolCallSchema>;

export const stepUsageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() });

export type StepUsage = z.infer<typeof stepUsageSchema>;

export const agentStepOutputSchema = z.object({
  status: z.enum(['tool_use', 'done']),
  /** The turns taken so far, this one included: the state machine's loop counter. */
  turn: z.int().check(z.minimum(1)),
  toolCalls: z.array(agentToolCallSchema),
  output: z.nullable(z.record(z.string(), z.unknown())),
  usage: stepUsageSchema,
});

export type AgentStepOutput = z.infer<typeof agentStepOutputSchema>;
