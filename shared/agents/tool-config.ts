/**
 * The Converse `toolConfig` of an agent: one toolSpec per allowed tool, its
 * input schema converted from zod to JSON Schema.
 */
import type * as core from 'zod/v4/core';
import { toJSONSchema } from '../mini-zod';
import type { ToolSpec } from './converse-shapes';
import { bedrockToolName } from './tool-names';

/** The JSON Schema of a zod schema as Bedrock wants it (input side, no `$schema`). */
export function toJsonSchema(schema: core.$ZodType): Record<string, unknown> {
  const json = toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** A tool as the model sees it: its input as a zod schema, or as the JSON Schema synth already made of it. */
export type ToolForModel = { id: string; description: string } & ({ input: core.$ZodType } | { inputSchema: Record<string, unknown> });

/** `undefined` when the agent has no tools (Bedrock rejects an empty tool list). */
export function toolConfigFor(tools: readonly ToolForModel[]): { tools: { toolSpec: ToolSpec }[] } | undefined {
  if (tools.length === 0) return undefined;
  return {
    tools: tools.map((t) => ({
      toolSpec: { name: bedrockToolName(t.id), description: t.description, inputSchema: { json: 'inputSchema' in t ? t.inputSchema : toJsonSchema(t.input) } },
    })),
  };
}
