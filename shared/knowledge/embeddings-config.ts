/**
 * Chooses the embeddings provider from the environment (read when called):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | AIOS_EMBEDDINGS | `bedrock`, `openai` or `off` | `off` |
 * | AIOS_EMBEDDINGS_MODEL | model id | `amazon.titan-embed-text-v2:0` / `text-embedding-3-small` |
 * | AIOS_EMBEDDINGS_DIMENSIONS | Titan v2 vector size: 256, 512, 1024 | 512 |
 * | AIOS_EMBEDDINGS_URL | OpenAI-compatible base URL | `https://api.openai.com/v1` |
 * | AIOS_EMBEDDINGS_API_KEY (or OPENAI_API_KEY) | bearer token for that URL | none |
 * | AIOS_EMBEDDINGS_WEIGHT | share of vector similarity in the blended score, 0–1 | 0.5 |
 */
import type { AwsClients } from '../aws/clients';
import { BedrockEmbedder, TITAN_EMBED_V2 } from './bedrock-embeddings';
import { DEFAULT_VECTOR_WEIGHT, type Embedder } from './embeddings';
import { EmbeddingsError } from './errors';
import { OpenAiEmbedder } from './openai-embeddings';

/** Makes the embedders that need an SDK client (apart, so a bundle built without them carries no such client). */
export interface EmbedderMakers {
  bedrock?: (options: { modelId: string; dimensions: 256 | 512 | 1024 }) => Embedder;
}

/** Every embeddings provider, Bedrock (and so the Bedrock Runtime client) included. */
export const ALL_EMBEDDERS: EmbedderMakers = { bedrock: (options) => new BedrockEmbedder(options) };

/** The variables that choose the embedder and its weight, as one string: equal strings, equal embedders. */
export function embeddingsSettings(env: NodeJS.ProcessEnv): string {
  return Object.entries(env)
    .filter(([k]) => k.startsWith('AIOS_EMBEDDINGS') || k === 'OPENAI_API_KEY')
    .sort(([a], [b]) => a.localeCompare(b))
    .join('\n');
}

/** The configured embedder, or null when embeddings are off. */
export function embedderFromEnv(env: NodeJS.ProcessEnv = process.env, clients?: Pick<AwsClients, 'bedrockRuntime'>): Embedder | null {
  return embedderOf(env, { bedrock: (options) => new BedrockEmbedder({ ...options, clients }) });
}

/** The configured embedder made with `makers`, or null when embeddings are off; a provider with no maker is an error. */
export function embedderOf(env: NodeJS.ProcessEnv, makers: EmbedderMakers): Embedder | null {
  const mode = (env.AIOS_EMBEDDINGS ?? 'off').trim().toLowerCase();
  switch (mode) {
    case '':
    case 'off':
      return null;
    case 'bedrock': {
      const dimensions = Number(env.AIOS_EMBEDDINGS_DIMENSIONS ?? 512);
      if (![256, 512, 1024].includes(dimensions))
        throw new EmbeddingsError(`AIOS_EMBEDDINGS_DIMENSIONS must be 256, 512 or 1024, got "${env.AIOS_EMBEDDINGS_DIMENSIONS}"`);
      if (!makers.bedrock)
        throw new EmbeddingsError(
          'AIOS_EMBEDDINGS is bedrock, but this function was bundled without the Bedrock client (the deployment sets no embeddings model)',
        );
      return makers.bedrock({ modelId: env.AIOS_EMBEDDINGS_MODEL ?? TITAN_EMBED_V2, dimensions: dimensions as 256 | 512 | 1024 });
    }
    case 'openai':
      return new OpenAiEmbedder({
        baseUrl: env.AIOS_EMBEDDINGS_URL ?? 'https://api.openai.com/v1',
        model: env.AIOS_EMBEDDINGS_MODEL ?? 'text-embedding-3-small',
        apiKey: env.AIOS_EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY,
      });
    default:
      throw new EmbeddingsError(`AIOS_EMBEDDINGS must be bedrock, openai or off, got "${env.AIOS_EMBEDDINGS}"`, { value: env.AIOS_EMBEDDINGS });
  }
}

/** The vector share of the blended score, from AIOS_EMBEDDINGS_WEIGHT. */
export function vectorWeightFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  if (env.AIOS_EMBEDDINGS_WEIGHT === undefined || env.AIOS_EMBEDDINGS_WEIGHT === '') return DEFAULT_VECTOR_WEIGHT;
  const w = Number(env.AIOS_EMBEDDINGS_WEIGHT);
  if (!Number.isFinite(w) || w < 0 || w > 1)
    throw new EmbeddingsError(`AIOS_EMBEDDINGS_WEIGHT must be a number from 0 to 1, got "${env.AIOS_EMBEDDINGS_WEIGHT}"`);
  return w;
}
