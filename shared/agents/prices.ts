/**
 * What a model call costs. Prices are Amazon Bedrock on-demand list prices in
 * USD per million tokens (us-east-1, as published on
 * https://aws.amazon.com/bedrock/pricing/ in 2025). They change: an agent's
 * `prices` in the definition overrides this table, and a model missing here
 * costs 0 with `priced: false` so the audit shows it was not priced.
 */

export interface ModelPrice {
  /** USD per 1,000,000 input tokens. */
  inputPerMillion: number;
  /** USD per 1,000,000 output tokens. */
  outputPerMillion: number;
}

// No side effects: a bundle that never reads the table (the agent step's, its prices settled at synth) drops it.
/* @__NO_SIDE_EFFECTS__ */
function p(inputPerMillion: number, outputPerMillion: number): ModelPrice {
  return { inputPerMillion, outputPerMillion };
}

/** Base model ids (no region prefix, no ARN) → price. */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // Anthropic Claude
  'anthropic.claude-3-haiku-20240307-v1:0': p(0.25, 1.25),
  'anthropic.claude-3-sonnet-20240229-v1:0': p(3, 15),
  'anthropic.claude-3-opus-20240229-v1:0': p(15, 75),
  'anthropic.claude-3-5-haiku-20241022-v1:0': p(0.8, 4),
  'anthropic.claude-3-5-sonnet-20240620-v1:0': p(3, 15),
  'anthropic.claude-3-5-sonnet-20241022-v2:0': p(3, 15),
  'anthropic.claude-3-7-sonnet-20250219-v1:0': p(3, 15),
  'anthropic.claude-sonnet-4-20250514-v1:0': p(3, 15),
  'anthropic.claude-sonnet-4-5-20250929-v1:0': p(3, 15),
  'anthropic.claude-haiku-4-5-20251001-v1:0': p(1, 5),
  'anthropic.claude-opus-4-20250514-v1:0': p(15, 75),
  'anthropic.claude-opus-4-1-20250805-v1:0': p(15, 75),
  // Amazon Nova
  'amazon.nova-micro-v1:0': p(0.035, 0.14),
  'amazon.nova-lite-v1:0': p(0.06, 0.24),
  'amazon.nova-pro-v1:0': p(0.8, 3.2),
  'amazon.nova-premier-v1:0': p(2.5, 12.5),
  // Meta Llama
  'meta.llama3-8b-instruct-v1:0': p(0.3, 0.6),
  'meta.llama3-70b-instruct-v1:0': p(2.65, 3.5),
  'meta.llama3-1-8b-instruct-v1:0': p(0.22, 0.22),
  'meta.llama3-1-70b-instruct-v1:0': p(0.72, 0.72),
  'meta.llama3-1-405b-instruct-v1:0': p(2.4, 2.4),
  'meta.llama3-2-1b-instruct-v1:0': p(0.1, 0.1),
  'meta.llama3-2-3b-instruct-v1:0': p(0.15, 0.15),
  'meta.llama3-2-11b-instruct-v1:0': p(0.16, 0.16),
  'meta.llama3-2-90b-instruct-v1:0': p(0.72, 0.72),
  'meta.llama3-3-70b-instruct-v1:0': p(0.72, 0.72),
  // Mistral
  'mistral.mistral-7b-instruct-v0:2': p(0.15, 0.2),
  'mistral.mixtral-8x7b-instruct-v0:1': p(0.45, 0.7),
  'mistral.mistral-small-2402-v1:0': p(1, 3),
  'mistral.mistral-large-2402-v1:0': p(4, 12),
  'mistral.mistral-large-2407-v1:0': p(2, 6),
};

/**
 * The base model id of a model id, cross-region inference profile id
 * (`us.anthropic…`) or model/profile ARN.
 */
export function baseModelId(modelId: string): string {
  const tail = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return tail.replace(/^(us|eu|apac|us-gov|ca|jp|au|global)\./, '');
}

export interface PriceOverride {
  /** USD per 1,000 input tokens. */
  inputPer1k: number;
  /** USD per 1,000 output tokens. */
  outputPer1k: number;
}

export interface Cost {
  costUsd: number;
  /** False when the model is not in the table and no override was given. */
  priced: boolean;
}

/**
 * The price of a model: the override when given, else the table's; undefined when neither has it.
 *
 * @example priceOf('us.anthropic.claude-haiku-4-5-20251001-v1:0') // { inputPerMillion: 1, outputPerMillion: 5 }
 */
export function priceOf(modelId: string, override?: PriceOverride): ModelPrice | undefined {
  return override ? { inputPerMillion: override.inputPer1k * 1000, outputPerMillion: override.outputPer1k * 1000 } : PRICE_TABLE[baseModelId(modelId)];
}

/**
 * An agent's price, settled before its step runs (at synth for a deployed agent step, which then carries no price table):
 * its own override, else the definition's for its model, else the table's; null when none has it.
 */
export function agentPrice(agent: { model: string; prices?: PriceOverride }, overrides: Readonly<Record<string, PriceOverride>>): ModelPrice | null {
  return priceOf(agent.model, agent.prices ?? overrides[agent.model]) ?? null;
}

/** The cost of one call at `price` (undefined or null: not priced), in USD rounded to 1e-8. */
export function costAt(price: ModelPrice | null | undefined, usage: { inputTokens: number; outputTokens: number }): Cost {
  if (!price) return { costUsd: 0, priced: false };
  const usd = (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000;
  return { costUsd: Math.round(usd * 1e8) / 1e8, priced: true };
}

/**
 * The cost of one call in USD, rounded to 1e-8.
 *
 * @example
 * costOf('us.anthropic.claude-haiku-4-5-20251001-v1:0', { inputTokens: 1000, outputTokens: 200 })
 * // → { costUsd: 0.002, priced: true }
 */
export function costOf(modelId: string, usage: { inputTokens: number; outputTokens: number }, override?: PriceOverride): Cost {
  return costAt(priceOf(modelId, override), usage);
}
