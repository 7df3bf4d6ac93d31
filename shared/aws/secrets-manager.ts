/** The Secrets Manager client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedClient } from './client-config';

export const secretsManagerClient = cachedClient('SECRETS_MANAGER', (config) => new SecretsManagerClient(config));
