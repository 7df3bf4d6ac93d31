/**
 * `aios webhook <source> <file>`: signs a payload with the local secret exactly
 * as the vendor would and POSTs it to the local runtime, printing the status.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { webhookVendors } from '../../events';
import { AiosError } from '../../shared/errors';
import { createSecretProvider, dataDirectory, secretEnvSuffix, secretFilePath } from '../../shared/secrets';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { sampleFile } from '../sample-file';
import { printErr, printOut } from '../terminal-text';

export interface SendWebhookOptions {
  url?: string;
  eventType?: string;
  env?: NodeJS.ProcessEnv;
}

export interface SentWebhook {
  url: string;
  status: number;
  body: string;
  /** Where the signing secret came from (an env var, or a file in the data dir). */
  secretFrom: string;
  dataDir: string;
}

/** Where getSecret finds a secret locally: the env var when set, else the file in the data dir. */
function secretSource(name: string, env: NodeJS.ProcessEnv): string {
  const variable = `AIOS_SECRET_${secretEnvSuffix(name)}`;
  return env[variable] ? `the env var ${variable}` : secretFilePath(name, dataDirectory(env));
}

/**
 * When the runtime refused the signature, whether it is because it keeps its
 * secrets in another data dir (it says which on /health).
 */
export async function signatureHint(sent: SentWebhook): Promise<string> {
  let theirs: string | undefined;
  try {
    const health = (await (await fetch(new URL('/health', sent.url))).json()) as { dataDir?: string };
    theirs = health.dataDir;
  } catch {
    // an older runtime or another server: give the general hint
  }
  if (theirs && path.resolve(theirs) !== path.resolve(sent.dataDir)) {
    return `the runtime at ${new URL(sent.url).origin} keeps its secrets in the data dir ${theirs}, but this command signed with ${sent.secretFrom} (data dir ${sent.dataDir}): run it with AIOS_DATA_DIR=${theirs}`;
  }
  return `this command signed with ${sent.secretFrom}; the runtime verifies with the secret in its own data dir (its banner names it): both must use the same AIOS_DATA_DIR`;
}

/** Signs and posts one delivery; returns the response status and body, and where the secret came from. */
export async function sendWebhook(source: string, file: string, options: SendWebhookOptions = {}): Promise<SentWebhook> {
  const env = options.env ?? process.env;
  const vendor = webhookVendors().get(source);
  if (!vendor) throw new AiosError('Webhook.UnknownSource', `no webhook source named "${source}" (known: ${[...webhookVendors().keys()].join(', ')})`);
  const resolved = sampleFile(file);
  const body = readFileSync(resolved);
  const stem = path
    .basename(resolved)
    .replace(/\.json$/, '')
    .replace(new RegExp(`^${source}\\.`), '');
  const eventType = options.eventType ?? vendor.signer.eventTypeFromSampleStem?.(stem);
  const url = options.url ?? `http://127.0.0.1:${env.AIOS_PORT || '4566'}/webhooks/${source}`;
  const secretFrom = secretSource(vendor.source.secretName, env);
  const secret = (await createSecretProvider({ env }).getSecret(vendor.source.secretName, { generateIfMissing: true })).split(/\r?\n/)[0].trim();
  const headers = vendor.signer.sign({ body, secret, now: new Date(), url, method: 'POST', eventType });
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body });
  } catch (error) {
    throw new AiosError('Webhook.ConnectionFailed', `could not reach ${url} (is \`npm start\` running?): ${(error as Error).message}`);
  }
  return { url, status: response.status, body: await response.text(), secretFrom, dataDir: dataDirectory(env) };
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('webhook')
    .description('sign a sample payload as the vendor would (with the local secret) and POST it to the local runtime')
    .argument('<source>', 'stripe | github | shopify | slack | zendesk | hubspot | generic (or a configured generic source)')
    .argument('<file>', 'a JSON payload, e.g. events/samples/stripe.charge.dispute.created.json (a bare sample name works too)')
    .option('--url <url>', 'where to post (default http://127.0.0.1:$AIOS_PORT/webhooks/<source>, port 4566)')
    .option('--event-type <type>', 'the vendor event type when it travels in a header (GitHub X-GitHub-Event, Shopify X-Shopify-Topic)')
    .action(async (source: string, file: string, opts: { url?: string; eventType?: string }) => {
      const result = await sendWebhook(source, file, { ...opts, env: cli.current().vars });
      printOut(`signed with ${result.secretFrom}\nPOST ${result.url} → ${result.status}\n${result.body}\n`);
      if (result.status === 401) printErr(`the signature was refused: ${await signatureHint(result)}\n`);
      if (result.status < 200 || result.status >= 300) process.exitCode = 1;
    });
}
