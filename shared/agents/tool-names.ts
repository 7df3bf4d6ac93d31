/**
 * Bedrock tool names must match ^[a-zA-Z0-9_-]{1,64}$; AIOS tool ids use dots
 * (`refunds.issue`). Tool ids never contain `_` (see `toolIdPattern`), so
 * `.` ↔ `_` is reversible; a map built from the agent's tools still guards
 * against collisions and answers unknown names with `undefined`.
 */
import { ToolNameCollisionError } from './errors';

/** `refunds.issue` → `refunds_issue`. */
export function bedrockToolName(toolId: string): string {
  return toolId
    .replace(/\./g, '_')
    .replace(/[^a-zA-Z0-9_-]/g, '-')
    .slice(0, 64);
}

/** `refunds_issue` → `refunds.issue` (the inverse of `bedrockToolName` for valid tool ids). */
export function toolIdFromBedrockName(name: string): string {
  return name.replace(/_/g, '.');
}

/** Both directions for one agent's tools. */
export interface ToolNameMap {
  toBedrock(toolId: string): string;
  /** `undefined` when the model named a tool the agent does not have. */
  toToolId(name: string): string | undefined;
}

export function toolNameMap(toolIds: readonly string[]): ToolNameMap {
  const byName = new Map<string, string>();
  for (const id of toolIds) {
    const name = bedrockToolName(id);
    const other = byName.get(name);
    if (other !== undefined && other !== id) throw new ToolNameCollisionError(name, other, id);
    byName.set(name, id);
  }
  return {
    toBedrock: bedrockToolName,
    toToolId: (name) => byName.get(name),
  };
}
