/**
 * The webhook sources an ingest function carries. The usual entry (index.ts,
 * also the local runtime's) carries every vendor AIOS knows. At synth,
 * infra/webhook-entry.ts writes an entry that carries only the vendors the
 * definition's triggers listen for (each vendor's verifier and schemas cost
 * its bundle 2-4 KiB) and names the others, so a delivery to one is refused
 * as not deployed instead of as unknown.
 */
import type { GenericHmacConfigInput } from '../../events/generic';
import type { EnvironmentVariables } from '../../shared/composition/environment';
import { AiosError } from '../../shared/errors';
import type { WebhookSource } from '../../shared/webhooks';

/** What a deployment's ingest function carries. */
export interface DeployedSources {
  /** The built-in vendors' sources carried. */
  builtIn: readonly WebhookSource[];
  /** Generic HMAC sources (the built-in `generic` and AIOS_WEBHOOK_GENERIC_SOURCES); absent when not carried. */
  generic?: {
    create(config: GenericHmacConfigInput): WebhookSource;
    defaults: GenericHmacConfigInput;
    fromEnv(vars: EnvironmentVariables): GenericHmacConfigInput[];
  };
  /** The known sources left out, by name, with the event source a trigger would name. */
  notDeployed: Readonly<Record<string, string>>;
}

/** The carried sources by name, generic ones from the variables; a generic config may not take a built-in vendor's name. */
export function deployedSourceMap(deployed: DeployedSources, vars: EnvironmentVariables): Map<string, WebhookSource> {
  const sources = new Map(deployed.builtIn.map((s) => [s.name, s]));
  if (!deployed.generic) return sources;
  for (const config of [deployed.generic.defaults, ...deployed.generic.fromEnv(vars)]) {
    if (config.name !== 'generic' && (sources.has(config.name) || Object.hasOwn(deployed.notDeployed, config.name))) {
      throw new AiosError('Webhook.InvalidConfig', `generic source "${config.name}" would replace the built-in one`);
    }
    const source = deployed.generic.create(config);
    sources.set(source.name, source);
  }
  return sources;
}
