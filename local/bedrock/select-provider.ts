/**
 * Picks the model provider from the environment:
 * `AIOS_MODEL_PROVIDER` = `replay` (default) | `openai` | `bedrock`;
 * `AIOS_MODEL_RECORD=1` records `openai`/`bedrock` answers into the recordings folder.
 */
import { AiosError } from '../../shared/errors';
import type { ModelProvider } from './model-provider';
import { createBedrockProvider } from './providers/bedrock-provider';
import { createOpenAiProvider } from './providers/openai-provider';
import { createReplayProvider } from './providers/replay-provider';
import { recordingProvider } from './recording-provider';
import { recordingsDir } from './recordings';

export const PROVIDERS = ['replay', 'openai', 'bedrock'] as const;

export class ModelProviderConfigError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Model.ProviderConfig', message, details);
  }
}

export interface ProviderChoice {
  provider: ModelProvider;
  /** One line for the start banner, e.g. `replay (os/recordings)`. */
  description: string;
}

export function selectModelProvider(
  env: NodeJS.ProcessEnv = process.env,
  options: { recordingsDir?: string; definitionRecordingsDir?: string } = {},
): ProviderChoice {
  const name = (env.AIOS_MODEL_PROVIDER ?? 'replay').trim().toLowerCase();
  const dir = recordingsDir(env, options.recordingsDir, options.definitionRecordingsDir);
  const record = env.AIOS_MODEL_RECORD === '1' || env.AIOS_MODEL_RECORD === 'true';
  let live: ModelProvider;
  let description: string;
  switch (name) {
    case 'replay':
      if (record) throw new ModelProviderConfigError('AIOS_MODEL_RECORD=1 records answers of a live provider: set AIOS_MODEL_PROVIDER=openai or bedrock');
      return { provider: createReplayProvider({ dir, log: (line) => process.stderr.write(line) }), description: `replay (recordings in ${dir})` };
    case 'openai':
    case 'openai-compatible': {
      const baseUrl = env.AIOS_OPENAI_BASE_URL;
      if (!baseUrl) throw new ModelProviderConfigError('AIOS_MODEL_PROVIDER=openai needs AIOS_OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama)');
      live = createOpenAiProvider({ baseUrl, apiKey: env.AIOS_OPENAI_API_KEY, model: env.AIOS_OPENAI_MODEL });
      description = `openai (${baseUrl}${env.AIOS_OPENAI_MODEL ? `, model ${env.AIOS_OPENAI_MODEL}` : ''})`;
      break;
    }
    case 'bedrock':
      live = createBedrockProvider({ env });
      description = `bedrock (${env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1'})`;
      break;
    default:
      throw new ModelProviderConfigError(`AIOS_MODEL_PROVIDER "${name}" is not one of ${PROVIDERS.join(', ')}`, { name });
  }
  return record ? { provider: recordingProvider(live, dir), description: `${description}, recording into ${dir}` } : { provider: live, description };
}
