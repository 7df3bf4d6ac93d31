/**
 * The composition root of the webhook ingest Lambda: real adapters for every
 * port, from the environment.
 */
import { webhookSources } from '../../events';
import { s3Client } from '../../shared/aws/s3-client';
import { getSecret } from '../../shared/secrets';
import { openTable } from '../../shared/tables';
import { createWebhookIngest, EventBridgePublisher, TableDeliveryLedger, TableRefusalLog, type Refusal, type RefusalLog, type WebhookIngest } from '../../shared/webhooks';
import { S3PayloadStore } from '../../shared/webhooks/s3-payload-store';

/** Stores each refusal and writes one structured log line (CloudWatch on AWS). */
class LoggedRefusals implements RefusalLog {
  constructor(private readonly store: RefusalLog) {}
  async record(refusal: Refusal): Promise<void> {
    console.warn(JSON.stringify({ level: 'WARN', message: 'webhook refused', ...refusal, at: refusal.at.toISOString() }));
    await this.store.record(refusal);
  }
}

/**
 * The ingest pipeline over the real adapters. Built per call (a few object
 * allocations): tables, clients and secrets are cached by their own
 * factories, and a runtime that resets them (tests, the local runtime) is
 * picked up at once.
 */
export function defaultWebhookIngest(): WebhookIngest {
  const payloadBucket = process.env.AIOS_PAYLOAD_BUCKET;
  return createWebhookIngest({
    ...(payloadBucket ? { payloads: new S3PayloadStore(s3Client(), payloadBucket) } : {}),
    sources: webhookSources(),
    secrets: { getSecret: (name) => getSecret(name) },
    ledger: new TableDeliveryLedger(openTable('state')),
    refusals: new LoggedRefusals(new TableRefusalLog(openTable('state'))),
    publisher: new EventBridgePublisher(),
    onLogError: (error) => console.error(JSON.stringify({ level: 'ERROR', message: 'recording a webhook refusal failed', error: String(error) })),
  });
}
