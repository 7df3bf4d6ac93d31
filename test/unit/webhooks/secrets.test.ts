import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretProvider, secretEnvSuffix } from '../../../shared/secrets';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'aios-secrets-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** A Secrets Manager client that answers GetSecretValue from a map (the SDK's real command objects). */
function secretsManager(values: Record<string, string>) {
  const asked: string[] = [];
  const client = {
    async send(command: GetSecretValueCommand) {
      expect(command).toBeInstanceOf(GetSecretValueCommand);
      const id = command.input.SecretId as string;
      asked.push(id);
      if (!(id in values)) throw Object.assign(new Error(`Secrets Manager can't find the specified secret.`), { name: 'ResourceNotFoundException' });
      return { SecretString: values[id] };
    },
  } as unknown as SecretsManagerClient;
  return { client, asked };
}

describe('secret provider', () => {
  it('names map to env suffixes', () => {
    expect(secretEnvSuffix('webhook-stripe')).toBe('WEBHOOK_STRIPE');
    expect(secretEnvSuffix('approval.link-key')).toBe('APPROVAL_LINK_KEY');
  });

  it('reads AIOS_SECRET_<NAME> first', async () => {
    const p = createSecretProvider({ env: { AIOS_SECRET_WEBHOOK_STRIPE: 'from-env' }, dataDir });
    expect(await p.getSecret('webhook-stripe')).toBe('from-env');
  });

  it('locally, reads <dataDir>/secrets/<name>, and generates it once (32 random bytes, mode 0600) when asked', async () => {
    const p = createSecretProvider({ env: {}, dataDir });
    await expect(p.getSecret('webhook-github')).rejects.toMatchObject({ code: 'Secret.NotFound' });
    const generated = await p.getSecret('webhook-github', { generateIfMissing: true });
    expect(generated).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, 'secrets', 'webhook-github');
    expect(readFileSync(file, 'utf8').trim()).toBe(generated);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await p.getSecret('webhook-github', { generateIfMissing: true })).toBe(generated);
    expect(await createSecretProvider({ env: { AIOS_DATA_DIR: dataDir } }).getSecret('webhook-github')).toBe(generated);
  });

  it('a file written by hand is used as is', async () => {
    mkdirSync(path.join(dataDir, 'secrets'), { recursive: true });
    writeFileSync(path.join(dataDir, 'secrets', 'webhook-shopify'), 'shpss_hand\n');
    expect(await createSecretProvider({ env: {}, dataDir }).getSecret('webhook-shopify')).toBe('shpss_hand');
  });

  it('refuses names that could escape the secrets directory', async () => {
    const p = createSecretProvider({ env: {}, dataDir });
    for (const name of ['../etc/passwd', 'a/b', '', '.hidden']) {
      await expect(p.getSecret(name, { generateIfMissing: true })).rejects.toMatchObject({ code: 'Secret.InvalidName' });
    }
  });

  it('on AWS, reads Secrets Manager by ARN or prefix, caches, and never falls back to a file', async () => {
    const sm = secretsManager({ 'arn:aws:secretsmanager:us-east-1:1:secret:stripe': 'whsec_aws', 'aios/webhook-github': 'gh_aws' });
    let now = 0;
    const p = createSecretProvider({
      env: { AIOS_SECRET_ARN_WEBHOOK_STRIPE: 'arn:aws:secretsmanager:us-east-1:1:secret:stripe', AIOS_SECRET_PREFIX: 'aios/' },
      dataDir,
      secretsManager: () => sm.client,
      now: () => now,
    });
    expect(await p.getSecret('webhook-stripe')).toBe('whsec_aws');
    expect(await p.getSecret('webhook-github')).toBe('gh_aws');
    expect(await p.getSecret('webhook-github')).toBe('gh_aws');
    expect(sm.asked).toEqual(['arn:aws:secretsmanager:us-east-1:1:secret:stripe', 'aios/webhook-github']);
    now += 301_000;
    await p.getSecret('webhook-github');
    expect(sm.asked).toHaveLength(3);
    await expect(p.getSecret('webhook-slack', { generateIfMissing: true })).rejects.toMatchObject({ code: 'Secret.NotFound' });
  });
});
