/**
 * Named secrets (webhook signing secrets, the approval link key).
 *
 * Where a secret comes from, first match wins:
 * 1. the env var `AIOS_SECRET_<NAME>` (NAME upper-cased, non-alphanumerics as `_`);
 * 2. on AWS, Secrets Manager through the client factory: the id in
 *    `AIOS_SECRET_ARN_<NAME>`, else `<AIOS_SECRET_PREFIX><name>` when a prefix is set;
 *    when either is configured, Secrets Manager is authoritative (no file fallback);
 * 3. locally, the file `<AIOS_DATA_DIR>/secrets/<name>` (AIOS_DATA_DIR defaults to `.aios`),
 *    created once with 32 random bytes (hex, mode 0600) when `generateIfMissing`.
 *
 * Env is read on each call (lazily), so tests and the local runtime can set it late.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from '../aws/secrets-manager';
import { InvalidSecretNameError, SecretNotFoundError, SecretUnavailableError } from './errors';

export interface GetSecretOptions {
  /** Locally: create the secret file with a random value when there is none. */
  generateIfMissing?: boolean;
}

export interface SecretProvider {
  getSecret(name: string, options?: GetSecretOptions): Promise<string>;
}

export interface SecretProviderConfig {
  env?: NodeJS.ProcessEnv;
  /** Overrides AIOS_DATA_DIR. */
  dataDir?: string;
  secretsManager?: () => SecretsManagerClient;
  /** How long a Secrets Manager value is reused; default 300 s. */
  cacheSeconds?: number;
  now?: () => number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `webhook-stripe` → `WEBHOOK_STRIPE`. */
export function secretEnvSuffix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The local data directory: explicit > AIOS_DATA_DIR > `.aios` in the working directory. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env, explicit?: string): string {
  return path.resolve(explicit ?? env.AIOS_DATA_DIR ?? '.aios');
}

/** Where a local secret lives. */
export function secretFilePath(name: string, dataDir: string): string {
  if (!NAME.test(name)) throw new InvalidSecretNameError(name);
  return path.join(dataDir, 'secrets', name);
}

function readLocal(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function generateLocal(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('hex');
  try {
    // `wx`: if another process created it first, theirs wins and we read it.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readLocal(file) ?? value;
    throw error;
  }
}

/**
 * Builds a provider.
 *
 * @example
 * const secrets = createSecretProvider({ dataDir: '/tmp/aios' });
 * const key = await secrets.getSecret('approval-link-key', { generateIfMissing: true });
 */
export function createSecretProvider(config: SecretProviderConfig = {}): SecretProvider {
  const cache = new Map<string, { value: string; until: number }>();
  const now = config.now ?? Date.now;
  const ttlMs = (config.cacheSeconds ?? 300) * 1000;

  async function fromSecretsManager(name: string, secretId: string): Promise<string> {
    const hit = cache.get(secretId);
    if (hit && hit.until > now()) return hit.value;
    const client = (config.secretsManager ?? (() => secretsManagerClient()))();
    let value: string | undefined;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      value = out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') throw new SecretNotFoundError(name, [`Secrets Manager ${secretId}`]);
      throw new SecretUnavailableError(name, 'Secrets Manager', error);
    }
    if (value === undefined) throw new SecretNotFoundError(name, [`Secrets Manager ${secretId} (no value)`]);
    cache.set(secretId, { value, until: now() + ttlMs });
    return value;
  }

  return {
    async getSecret(name: string, options: GetSecretOptions = {}): Promise<string> {
      if (typeof name !== 'string' || !NAME.test(name)) throw new InvalidSecretNameError(name);
      const env = config.env ?? process.env;
      const suffix = secretEnvSuffix(name);
      const direct = env[`AIOS_SECRET_${suffix}`];
      if (direct) return direct;
      const arn = env[`AIOS_SECRET_ARN_${suffix}`];
      const prefix = env.AIOS_SECRET_PREFIX;
      if (arn || prefix) return fromSecretsManager(name, arn || `${prefix}${name}`);
      const file = secretFilePath(name, dataDirectory(env, config.dataDir));
      const local = readLocal(file);
      if (local) return local;
      if (options.generateIfMissing) return generateLocal(file);
      throw new SecretNotFoundError(name, [`env AIOS_SECRET_${suffix}`, file]);
    },
  };
}

// Reads the environment on every call, so one provider serves the process; it only caches Secrets Manager values by secret id.
const processProvider = createSecretProvider();

/** A secret through the process's provider. */
export function getSecret(name: string, options?: GetSecretOptions): Promise<string> {
  return processProvider.getSecret(name, options);
}
