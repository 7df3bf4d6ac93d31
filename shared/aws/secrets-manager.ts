/** The Secrets Manager client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const secretsManagerClient = /* @__PURE__ */ cachedClient('SECRETS_MANAGER', (config) => new SecretsManagerClient(config));
