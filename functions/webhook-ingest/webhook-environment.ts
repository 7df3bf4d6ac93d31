/**
 * The webhook ingest Lambda's adapters, from the composition root
 * (shared/composition) for an environment.
 */
import { s3Client } from '../../shared/aws/s3-client';
import type { AiosEnvironment, EnvironmentVariables } from '../../shared/composition/environment';
import { eventPublisher } from '../../shared/composition/publisher';
import { secretProvider } from '../../shared/composition/secrets';
import { stateTable } from '../../shared/composition/tables';
import {
  createWebhookIngest,
  TableDeliveryLedger,
  TableRefusalLog,
  type Refusal,
  type RefusalLog,
  type WebhookIngest,
  type WebhookSource,
} from '../../shared/webhooks';
import { S3PayloadStore } from '../../shared/webhooks/s3-payload-store';

/** Stores each refusal and writes one structured log line (CloudWatch on AWS). */
class LoggedRefusals implements RefusalLog {
  constructor(private readonly store: RefusalLog) {}
  async record(refusal: Refusal): Promise<void> {
    console.warn(JSON.stringify({ level: 'WARN', message: 'webhook refused', ...refusal, at: refusal.at.toISOString() }));
    await this.store.record(refusal);
  }
}

/** The sources an ingest function carries (generic ones are configured by the environment), and the known ones it left out. */
export interface CarriedSources {
  sources(vars: EnvironmentVariables): ReadonlyMap<string, WebhookSource>;
  notDeployed?: Readonly<Record<string, string>>;
}

/**
 * The ingest pipeline over the adapters of `env`. Built per call (a few
 * object allocations): tables, clients and secrets are cached by their own
 * factories for the environment they were made from.
 */
export function webhookIngest(env: AiosEnvironment, carried: CarriedSources): WebhookIngest {
  const secrets = secretProvider(env);
  return createWebhookIngest({
    ...(env.payloadBucket ? { payloads: new S3PayloadStore(s3Client({}, env.vars), env.payloadBucket) } : {}),
    sources: carried.sources(env.vars),
    ...(carried.notDeployed ? { notDeployed: carried.notDeployed } : {}),
    secrets: { getSecret: (name) => secrets.getSecret(name) },
    ledger: new TableDeliveryLedger(stateTable(env)),
    refusals: new LoggedRefusals(new TableRefusalLog(stateTable(env))),
    publisher: eventPublisher(env),
    onLogError: (error) => console.error(JSON.stringify({ level: 'ERROR', message: 'recording a webhook refusal failed', error: String(error) })),
  });
}
