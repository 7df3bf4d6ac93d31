/**
 * The agent-step Lambda's input and output, as the compiled agent loop sends
 * and reads them (see the shared contracts): the state carries ids, the turn
 * and short outcomes; everything large stays in DynamoDB.
 */
import { z } from 'zod';

export const toolOutcomeSchema = z.object({
  toolUseId: z.string().min(1),
  status: z.enum(['ran', 'denied', 'rejected', 'timed_out', 'error']),
  message: z.string(),
});

export const agentStepInputSchema = z.object({
  runId: z.string().min(1),
  workflowId: z.string().min(1),
  stepId: z.string().min(1),
  agentId: z.string().min(1),
  /** Turns already taken in this step: 0 for the first call; the output's `turn` is this plus one. */
  turn: z.number().int().min(0),
  /** What the workflow asks of the agent (the step's `task`). */
  task: z.string().optional(),
  /** The data the task is about (the step's `input`). */
  input: z.unknown(),
  outcomes: z.array(toolOutcomeSchema).default([]),
});

export type ToolOutcome = z.infer<typeof toolOutcomeSchema>;
export type AgentStepInput = z.input<typeof agentStepInputSchema>;

export interface ToolCall {
  toolUseId: string;
  /** The AIOS tool id (`refunds.issue`), not the Bedrock name. */
  name: string;
  input: unknown;
  /** What the model said before asking for the call ('' when nothing): shown to approvers as the agent's reason. */
  reason: string;
}

export interface StepUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface AgentStepOutput {
  status: 'tool_use' | 'done';
  /** The turns taken so far, this one included: the state machine's loop counter. */
  turn: number;
  toolCalls: ToolCall[];
  output: Record<string, unknown> | null;
  usage: StepUsage;
}
