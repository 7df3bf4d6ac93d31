/**
 * `aios-webhook-ingest`: POST /webhooks/{source} behind API Gateway (HTTP API,
 * payload 2.0) and the local runtime. Thin: middy, then `handleWebhook`.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { webhookIngest } from './webhook-environment';
import { handleWebhook } from './webhook-handler';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(runLogging())
    .handler((event) => handleWebhook(event, webhookIngest(env), { baseUrl: env.webhookBaseUrl }));
}

export const handler = createHandler(parseEnvironment(process.env));
