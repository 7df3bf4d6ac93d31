/** The local Bedrock Runtime endpoint and its model providers. */
export { createBedrockApp, type BedrockAppOptions } from './converse-app';
export type { ModelProvider } from './model-provider';
export { selectModelProvider, ModelProviderConfigError, PROVIDERS, type ProviderChoice } from './select-provider';
export { createReplayProvider } from './providers/replay-provider';
export { createOpenAiProvider, type OpenAiProviderOptions } from './providers/openai-provider';
export { createBedrockProvider, envWithoutEndpointOverrides } from './providers/bedrock-provider';
export { recordingProvider } from './recording-provider';
export { conversationKey, requestHash, recordingsDir, loadRecordings, recordingSchema, type Recording } from './recordings';
