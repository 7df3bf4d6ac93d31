/**
 * The Bedrock Runtime `Converse` wire shapes AIOS speaks (the JSON the AWS SDK
 * sends and expects), as zod schemas. They validate requests at the local
 * endpoint, recordings on load, and give the domain code plain types that do
 * not depend on the SDK's generated unions.
 *
 * Only the blocks AIOS uses are modelled strictly (text, toolUse, toolResult);
 * other blocks (images, documents, reasoning …) pass through as opaque objects
 * so a pass-through provider can still carry them.
 */
import * as z from 'zod';

export const toolUseBlockSchema = z.object({
  toolUseId: z.string().min(1).max(64),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a Bedrock tool name ([a-zA-Z0-9_-]{1,64})'),
  input: z.unknown(),
});

export const toolResultContentSchema = z.union([z.object({ text: z.string() }), z.object({ json: z.unknown() }), z.record(z.string(), z.unknown())]);

export const toolResultBlockSchema = z.object({
  toolUseId: z.string().min(1).max(64),
  content: z.array(toolResultContentSchema),
  status: z.enum(['success', 'error']).optional(),
});

export const contentBlockSchema = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ toolUse: toolUseBlockSchema }).strict(),
  z.object({ toolResult: toolResultBlockSchema }).strict(),
  // Images, documents, guardrail content, reasoning, cache points: carried, not interpreted.
  z
    .record(z.string(), z.unknown())
    .refine((b) => Object.keys(b).length === 1, 'a content block has exactly one member')
    .refine((b) => !('text' in b || 'toolUse' in b || 'toolResult' in b), 'a text, toolUse or toolResult block is malformed'),
]);

export const messageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(contentBlockSchema),
});

export const systemBlockSchema = z.union([z.object({ text: z.string() }).strict(), z.record(z.string(), z.unknown())]);

export const toolSpecSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a Bedrock tool name ([a-zA-Z0-9_-]{1,64})'),
  description: z.string().optional(),
  inputSchema: z.object({ json: z.record(z.string(), z.unknown()) }),
});

export const toolConfigSchema = z.object({
  tools: z
    .array(z.union([z.object({ toolSpec: toolSpecSchema }), z.record(z.string(), z.unknown()).refine((t) => !('toolSpec' in t), 'a toolSpec is malformed')]))
    .min(1),
  toolChoice: z
    .union([z.object({ auto: z.object({}).loose() }), z.object({ any: z.object({}).loose() }), z.object({ tool: z.object({ name: z.string() }) })])
    .optional(),
});

export const inferenceConfigSchema = z.object({
  maxTokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  stopSequences: z.array(z.string()).max(2500).optional(),
});

export const converseRequestSchema = z.object({
  modelId: z.string().min(1),
  messages: z.array(messageSchema).optional(),
  system: z.array(systemBlockSchema).optional(),
  inferenceConfig: inferenceConfigSchema.optional(),
  toolConfig: toolConfigSchema.optional(),
  guardrailConfig: z
    .object({ guardrailIdentifier: z.string(), guardrailVersion: z.string(), trace: z.enum(['enabled', 'disabled', 'enabled_full']).optional() })
    .optional(),
  additionalModelRequestFields: z.unknown().optional(),
  additionalModelResponseFieldPaths: z.array(z.string()).optional(),
  requestMetadata: z.record(z.string(), z.string()).optional(),
  promptVariables: z.unknown().optional(),
  performanceConfig: z.unknown().optional(),
});

export const STOP_REASONS = [
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'guardrail_intervened',
  'content_filtered',
  'malformed_model_output',
  'malformed_tool_use',
  'model_context_window_exceeded',
] as const;

export const tokenUsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  totalTokens: z.number().int().min(0),
});

export const converseResponseSchema = z.object({
  output: z.object({ message: messageSchema }),
  stopReason: z.string(),
  usage: tokenUsageSchema,
  metrics: z.object({ latencyMs: z.number().min(0) }),
  additionalModelResponseFields: z.unknown().optional(),
  trace: z.unknown().optional(),
});

export type ToolUseBlock = z.infer<typeof toolUseBlockSchema>;
export type ToolResultBlock = z.infer<typeof toolResultBlockSchema>;
export type ContentBlock = z.infer<typeof contentBlockSchema>;
export type Message = z.infer<typeof messageSchema>;
export type ToolSpec = z.infer<typeof toolSpecSchema>;
export type ConverseRequest = z.infer<typeof converseRequestSchema>;
export type ConverseResponse = z.infer<typeof converseResponseSchema>;
export type TokenUsage = z.infer<typeof tokenUsageSchema>;
export type StopReason = (typeof STOP_REASONS)[number];

// The readers of a message live apart from these schemas, so the agent step's bundle need not carry them.
export { messageText, toolUses } from './message-content';
