/**
 * `aios-agent-step`: one think step of an agent loop. The state carries ids,
 * the turn and short outcomes; everything large stays in DynamoDB.
 */
import * as z from '../mini-zod';
import { runFieldsSchema, toolOutcomeSchema } from './run-fields';

// Built by functions marked free of side effects, as in run-fields.ts.
export const agentStepInputSchema = /* @__PURE__ */ (() =>
  z.extend(runFieldsSchema, {
    agentId: z.string().check(z.minLength(1)),
    /** What the workflow asks of the agent (the step's `task`). */
    task: z.optional(z.string()),
    /** Turns already taken in this step: 0 for the first call; the output's `turn` is this plus one. */
    turn: z.int().check(z.minimum(0)),
    outcomes: z._default(z.array(toolOutcomeSchema), []),
    /** The data the task is about (the step's `input`). */
    input: z.unknown(),
  }))();

export type AgentStepInput = z.input<typeof agentStepInputSchema>;

/** A call the model asked for; `reason` is '' when the model said nothing first. */
/* @__NO_SIDE_EFFECTS__ */
const agentToolCall = () =>
  z.strictObject({
    toolUseId: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    input: z.unknown(),
    reason: z.string(),
  });

export const agentToolCallSchema = agentToolCall();

export type ToolCall = z.infer<typeof agentToolCallSchema>;

/* @__NO_SIDE_EFFECTS__ */
const stepUsage = () => z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() });

export const stepUsageSchema = stepUsage();

export type StepUsage = z.infer<typeof stepUsageSchema>;

/* @__NO_SIDE_EFFECTS__ */
export const agentStepOutput = () =>
  z.object({
    status: z.enum(['tool_use', 'done']),
    /** The turns taken so far, this one included: the state machine's loop counter. */
    turn: z.int().check(z.minimum(1)),
    toolCalls: z.array(agentToolCall()),
    output: z.nullable(z.record(z.string(), z.unknown())),
    usage: stepUsage(),
  });

export const agentStepOutputSchema = agentStepOutput();

export type AgentStepOutput = z.infer<typeof agentStepOutputSchema>;
