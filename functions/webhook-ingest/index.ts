/**
 * `aios-webhook-ingest`: POST /webhooks/{source} behind API Gateway (HTTP API,
 * payload 2.0) and the local runtime. Thin: middy, then `handleWebhook`.
 */
import middy from '@middy/core';
import { runLogging } from '../run-logging';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { defaultWebhookIngest } from './webhook-environment';
import { handleWebhook } from './webhook-handler';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().use(runLogging()).handler((event) =>
  handleWebhook(event, defaultWebhookIngest(), { baseUrl: process.env.AIOS_WEBHOOK_BASE_URL || undefined }),
);
