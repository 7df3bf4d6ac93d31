/** The Bedrock Runtime client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const bedrockRuntimeClient = /* @__PURE__ */ cachedClient('BEDROCK_RUNTIME', (config) => new BedrockRuntimeClient(config));
