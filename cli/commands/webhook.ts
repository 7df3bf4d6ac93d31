/**
 * `aios webhook <source> <file>`: signs a payload with the local secret exactly
 * as the vendor would and POSTs it to the local runtime, printing the status.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { webhookVendors } from '../../events';
import { AiosError } from '../../shared/errors';
import { getSecret } from '../../shared/secrets';
import { printOut } from '../terminal-text';

const SAMPLES_DIR = path.join(__dirname, '..', '..', 'events', 'samples');

function resolveFile(file: string): string {
  if (existsSync(file)) return file;
  const sample = path.join(SAMPLES_DIR, file);
  if (existsSync(sample)) return sample;
  throw new AiosError('Cli.FileNotFound', `no file "${file}" (nor events/samples/${file})`);
}

export interface SendWebhookOptions {
  url?: string;
  eventType?: string;
  env?: NodeJS.ProcessEnv;
}

/** Signs and posts one delivery; returns the response status and body. */
export async function sendWebhook(source: string, file: string, options: SendWebhookOptions = {}): Promise<{ url: string; status: number; body: string }> {
  const env = options.env ?? process.env;
  const vendor = webhookVendors().get(source);
  if (!vendor) throw new AiosError('Webhook.UnknownSource', `no webhook source named "${source}" (known: ${[...webhookVendors().keys()].join(', ')})`);
  const resolved = resolveFile(file);
  const body = readFileSync(resolved);
  const stem = path.basename(resolved).replace(/\.json$/, '').replace(new RegExp(`^${source}\\.`), '');
  const eventType = options.eventType ?? vendor.signer.eventTypeFromSampleStem?.(stem);
  const url = options.url ?? `http://127.0.0.1:${env.AIOS_PORT || '4566'}/webhooks/${source}`;
  const secret = (await getSecret(vendor.source.secretName, { generateIfMissing: true })).split(/\r?\n/)[0].trim();
  const headers = vendor.signer.sign({ body, secret, now: new Date(), url, method: 'POST', eventType });
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body });
  } catch (error) {
    throw new AiosError('Webhook.ConnectionFailed', `could not reach ${url} (is \`npm start\` running?): ${(error as Error).message}`);
  }
  return { url, status: response.status, body: await response.text() };
}

export function register(program: Command): void {
  program
    .command('webhook')
    .description('sign a sample payload as the vendor would (with the local secret) and POST it to the local runtime')
    .argument('<source>', 'stripe | github | shopify | slack | zendesk | hubspot | generic (or a configured generic source)')
    .argument('<file>', 'a JSON payload, e.g. events/samples/stripe.charge.dispute.created.json (a bare sample name works too)')
    .option('--url <url>', 'where to post (default http://127.0.0.1:$AIOS_PORT/webhooks/<source>, port 4566)')
    .option('--event-type <type>', 'the vendor event type when it travels in a header (GitHub X-GitHub-Event, Shopify X-Shopify-Topic)')
    .action(async (source: string, file: string, opts: { url?: string; eventType?: string }) => {
      const result = await sendWebhook(source, file, opts);
      printOut(`POST ${result.url} → ${result.status}\n${result.body}\n`);
      if (result.status < 200 || result.status >= 300) process.exitCode = 1;
    });
}
