import type { FactDefinition } from '../rights/facts';
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
  /** Recorded model conversations for the `replay` provider (default `os/recordings`), relative to the repository root. */
  recordingsDir?: string;
  /** Scenarios for `aios test` and `aios eval` (default `os/scenarios`), relative to the repository root. */
  scenariosDir?: string;
  /** Named lists rules may read in `when` as lists.<name> (e.g. approved vendor ids). */
  lists?: Readonly<Record<string, readonly (string | number)[]>>;
  /** Facts the gate computes from a tool call, outside the model, read in `when` as facts.<name>. */
  facts?: Readonly<Record<string, FactDefinition>>;
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
