/** Named secrets: env, Secrets Manager on AWS, files under AIOS_DATA_DIR locally. */
export { createSecretProvider, getSecret, secretEnvSuffix, secretFilePath, dataDirectory } from './secret-provider';
export type { SecretProvider, SecretProviderConfig, GetSecretOptions } from './secret-provider';
export { SecretNotFoundError, InvalidSecretNameError, SecretUnavailableError } from './errors';
