/**
 * `aios-webhook-ingest`: POST /webhooks/{source} behind API Gateway (HTTP API,
 * payload 2.0) and the local runtime, carrying every vendor AIOS knows. Thin:
 * middy, then `handleWebhook` (webhook-function.ts).
 */
import { genericConfigsFromEnv, webhookSources } from '../../events';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { webhookHandler } from './webhook-function';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return webhookHandler(env, { sources: (vars) => webhookSources(genericConfigsFromEnv(vars)) });
}

export const handler = createHandler(parseEnvironment(process.env));
