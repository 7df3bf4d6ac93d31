/**
 * The Converse `toolConfig` of an agent: one toolSpec per allowed tool, its
 * input as JSON Schema (made from zod before the step runs: json-schema.ts).
 */
import type { ToolSpec } from './converse-shapes';
import { bedrockToolName } from './tool-names';

/** A tool as the model sees it: its input as the JSON Schema synth (or `toolForModel`) made of its zod schema. */
export interface ToolForModel {
  id: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** `undefined` when the agent has no tools (Bedrock rejects an empty tool list). */
export function toolConfigFor(tools: readonly ToolForModel[]): { tools: { toolSpec: ToolSpec }[] } | undefined {
  if (tools.length === 0) return undefined;
  return {
    tools: tools.map((t) => ({
      toolSpec: { name: bedrockToolName(t.id), description: t.description, inputSchema: { json: t.inputSchema } },
    })),
  };
}
