/**
 * Bedrock models known to have reached end of life, each with the Active
 * model to move to. A call to a retired model fails on every run, so the
 * definition refuses one up front instead of deploying agents that cannot
 * think. The list only grows; `aios doctor` asks Bedrock for the lifecycle of
 * everything not listed here.
 */
import { baseModelId } from './prices';

export interface RetiredModel {
  /** End of life on Amazon Bedrock (on-demand), as published on the model lifecycle page. */
  endOfLife: string;
  /** The model id to use instead (an inference profile where the successor needs one). */
  successor: string;
}

const HAIKU_4_5 = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET_4_5 = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** Base model id → retirement. */
export const RETIRED_MODELS: Readonly<Record<string, RetiredModel>> = {
  'anthropic.claude-3-5-haiku-20241022-v1:0': { endOfLife: '2026-06-19', successor: HAIKU_4_5 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { endOfLife: '2026-04-28', successor: SONNET_4_5 },
  'anthropic.claude-3-sonnet-20240229-v1:0': { endOfLife: '2025-07-21', successor: SONNET_4_5 },
  'anthropic.claude-v2': { endOfLife: '2025-07-21', successor: HAIKU_4_5 },
  'anthropic.claude-v2:1': { endOfLife: '2025-07-21', successor: HAIKU_4_5 },
  'anthropic.claude-instant-v1': { endOfLife: '2025-07-21', successor: HAIKU_4_5 },
};

/**
 * The retirement of a model id (plain, inference profile or ARN), if known.
 *
 * @example retiredModel('us.anthropic.claude-3-5-haiku-20241022-v1:0')?.successor // 'us.anthropic.claude-haiku-4-5-20251001-v1:0'
 */
export function retiredModel(modelId: string): RetiredModel | undefined {
  return RETIRED_MODELS[baseModelId(modelId)];
}
