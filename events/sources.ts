/**
 * The webhook sources AIOS knows, by the `<source>` in POST /webhooks/<source>,
 * and how each vendor signs (for `aios webhook` and tests).
 */
import type { WebhookSource } from '../shared/webhooks';
import { createGenericHmacSource, DEFAULT_GENERIC_CONFIG, genericConfigsFromEnv, type GenericHmacConfigInput } from './generic';
import { githubSigner, githubSource } from './github';
import { hubspotSigner, hubspotSource } from './hubspot';
import { shopifySigner, shopifySource } from './shopify';
import type { WebhookSigner } from './signer';
import { slackSigner, slackSource } from './slack';
import { stripeSigner, stripeSource } from './stripe';
import { zendeskSigner, zendeskSource } from './zendesk';
import { AiosError } from '../shared/errors';

// Read from the environment with the generic source (a deployment carrying only some vendors imports it from there).
export { genericConfigsFromEnv };

export interface WebhookVendor {
  source: WebhookSource;
  signer: WebhookSigner;
}

const BUILT_IN: readonly WebhookVendor[] = [
  { source: stripeSource, signer: stripeSigner },
  { source: githubSource, signer: githubSigner },
  { source: shopifySource, signer: shopifySigner },
  { source: slackSource, signer: slackSigner },
  { source: zendeskSource, signer: zendeskSigner },
  { source: hubspotSource, signer: hubspotSigner },
];

/**
 * Every vendor: the built-in ones, the default `generic` source, and any
 * extra generic configs (which may replace `generic`, never a built-in).
 */
export function webhookVendors(generic: readonly GenericHmacConfigInput[] = genericConfigsFromEnv()): Map<string, WebhookVendor> {
  const vendors = new Map<string, WebhookVendor>(BUILT_IN.map((v) => [v.source.name, v]));
  for (const config of [DEFAULT_GENERIC_CONFIG, ...generic]) {
    if (vendors.has(config.name) && config.name !== 'generic') {
      throw new AiosError('Webhook.InvalidConfig', `generic source "${config.name}" would replace the built-in one`);
    }
    const source = createGenericHmacSource(config);
    vendors.set(source.name, { source, signer: source });
  }
  return vendors;
}

/** Sources only, as the ingest pipeline wants them. */
export function webhookSources(generic?: readonly GenericHmacConfigInput[]): Map<string, WebhookSource> {
  return new Map([...webhookVendors(generic)].map(([name, v]) => [name, v.source]));
}
