/** The Bedrock Runtime client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { cachedClient } from './client-config';

export const bedrockRuntimeClient = cachedClient('BEDROCK_RUNTIME', (config) => new BedrockRuntimeClient(config));
