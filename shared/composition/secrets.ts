/**
 * The secret provider of an environment: `AIOS_SECRET_*` variables, Secrets
 * Manager on AWS, files under AIOS_DATA_DIR locally (shared/secrets). One
 * provider per environment object, so Secrets Manager values are cached for
 * the life of a Lambda container or of the local runtime.
 */
import { AUDIT_CHAIN_KEY, type AuditKeyPort } from '../audit/audit-key';
import { secretsManagerClient } from '../aws/secrets-manager';
import { createSecretProvider, type SecretProvider } from '../secrets/secret-provider';
import type { AiosEnvironment } from './environment';

const providers = new WeakMap<AiosEnvironment, SecretProvider>();

export function secretProvider(env: AiosEnvironment): SecretProvider {
  let provider = providers.get(env);
  if (!provider) providers.set(env, (provider = createSecretProvider({ env: env.vars, secretsManager: () => secretsManagerClient({}, env.vars) })));
  return provider;
}

/** The audit chain's HMAC key from this environment's secrets (the first append may create it locally). */
export function auditKey(env: AiosEnvironment): AuditKeyPort {
  return (use) => secretProvider(env).getSecret(AUDIT_CHAIN_KEY, { generateIfMissing: use === 'append' });
}
