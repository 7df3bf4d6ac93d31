/**
 * The composition root of the webhook ingest Lambda: real adapters for every
 * port, built once per process from the environment.
 */
import { webhookSources } from '../../events';
import { getSecret } from '../../shared/secrets';
import { openTable } from '../../shared/tables';
import { createWebhookIngest, EventBridgePublisher, TableDeliveryLedger, TableRefusalLog, type Refusal, type RefusalLog, type WebhookIngest } from '../../shared/webhooks';

/** Stores each refusal and writes one structured log line (CloudWatch on AWS). */
class LoggedRefusals implements RefusalLog {
  constructor(private readonly store: RefusalLog) {}
  async record(refusal: Refusal): Promise<void> {
    console.warn(JSON.stringify({ level: 'WARN', message: 'webhook refused', ...refusal, at: refusal.at.toISOString() }));
    await this.store.record(refusal);
  }
}

let ingest: WebhookIngest | undefined;

export function defaultWebhookIngest(): WebhookIngest {
  ingest ??= createWebhookIngest({
    sources: webhookSources(),
    secrets: { getSecret: (name) => getSecret(name) },
    ledger: new TableDeliveryLedger(openTable('state')),
    refusals: new LoggedRefusals(new TableRefusalLog(openTable('state'))),
    publisher: new EventBridgePublisher(),
    onLogError: (error) => console.error(JSON.stringify({ level: 'ERROR', message: 'recording a webhook refusal failed', error: String(error) })),
  });
  return ingest;
}

/** For tests and the local runtime, which change the environment at start. */
export function resetWebhookIngest(): void {
  ingest = undefined;
}
