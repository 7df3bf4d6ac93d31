/**
 * zod schemas as the model reads them: JSON Schema. Made where the whole
 * definition is at hand (synth writes it into the agent step's entry; the
 * local runtime and the whole-definition entry convert once per process),
 * never in the agent step's own path: zod's JSON Schema generator is about
 * 22 KiB of a bundle that the step would carry to repeat the same conversion.
 */
import type * as core from 'zod/v4/core';
import { toJSONSchema } from '../mini-zod';
import type { PromptAgent } from './prompt';
import type { ToolForModel } from './tool-config';

/** The JSON Schema of a zod schema as Bedrock wants it (input side, no `$schema`). */
export function toJsonSchema(schema: core.$ZodType): Record<string, unknown> {
  const json = toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** A tool as the model sees it: id, description, input as JSON Schema. */
export function toolForModel(tool: { id: string; description: string; input: core.$ZodType }): ToolForModel {
  return { id: tool.id, description: tool.description, inputSchema: toJsonSchema(tool.input) };
}

/** An agent with its output schema also as JSON Schema (`outputSchema`), the form its prompt states it in. */
export function agentForModel<A extends { output?: core.$ZodType }>(agent: A): A & { outputSchema?: Record<string, unknown> } {
  return agent.output ? { ...agent, outputSchema: toJsonSchema(agent.output) } : agent;
}

/** The agent as its prompt needs it, plain data (the console carries it so): the output schema as JSON Schema. */
export function promptAgentOf(agent: { id: string; instructions: string; output?: core.$ZodType }): PromptAgent {
  return { id: agent.id, instructions: agent.instructions, ...(agent.output ? { outputSchema: toJsonSchema(agent.output) } : {}) };
}
