/**
 * The webhook ingest Lambda handler over the sources it carries: index.ts
 * gives it every vendor, a deployment the vendors its triggers listen for
 * (written at synth by infra/webhook-entry.ts).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';
import { webhookIngest, type CarriedSources } from './webhook-environment';
import { handleWebhook } from './webhook-handler';

export function webhookHandler(env: AiosEnvironment, carried: CarriedSources) {
  return loggedInvocation(
    (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
      handleWebhook(event, webhookIngest(env, carried), { baseUrl: env.webhookBaseUrl }),
    runLogging(),
  );
}
