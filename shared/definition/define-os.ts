import type { DecisionRuleInput } from '../rights/rule-schema';
import type { AgentDefinition } from './agent';
import type { KnowledgeNamespace } from './knowledge';
import type { PersonInput } from './person';
import type { AnyToolDefinition } from './tool';
import type { Workflow } from './workflow';

/** The whole business definition as written in `os/index.ts`, before validation. */
export interface OsDefinition {
  /** The business's name, shown in emails and the console. */
  name: string;
  people: readonly PersonInput[];
  tools: readonly AnyToolDefinition[];
  agents: readonly AgentDefinition[];
  knowledge: { namespaces: readonly KnowledgeNamespace[]; seedDir?: string };
  /** Decision rights: ordered, first match wins. */
  rights: readonly DecisionRuleInput[];
  workflows: readonly Workflow[];
  /** Bedrock prices per model id, USD per 1,000 tokens, overriding the built-in table. */
  prices?: Record<string, { inputPer1k: number; outputPer1k: number }>;
}

/**
 * The single entry of a business's definition (`os/index.ts`). Validation
 * happens when it is loaded (`loadOs`, `aios validate`), reporting every
 * problem with its path.
 */
export function defineOs<const D extends OsDefinition>(definition: D): D {
  return definition;
}
