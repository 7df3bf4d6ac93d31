/** Signed webhooks from SaaS products → verified, deduplicated, normalised events on the bus. */
export { createWebhookIngest, MAX_WEBHOOK_BODY_BYTES } from './ingest';
export type { WebhookIngest, WebhookIngestOptions, InboundWebhook } from './ingest';
export type { WebhookRequest, WebhookResponse, WebhookSource, VerifyResult, SignatureFailure, SourceEvent, NormaliseResult, BusEvent } from './types';
export type { EventPublisher, ClaimResult, DeliveryLedger, Refusal, RefusalLog, SecretSource } from './ports';
export { REFUSALS } from './refusal';
export type { RefusalKind } from './refusal';
export { TableDeliveryLedger, deliveryKey, deliveryResource, DELIVERY_RESOURCE_PREFIX, CLAIM_LEASE_MS } from './delivery-ledger';
export { jsonDepthExceeds, MAX_WEBHOOK_NESTING } from './json-depth';
export { TableRefusalLog, MemoryRefusalLog, refusalPartition } from './refusal-log';
export { EventBridgePublisher, RecordingPublisher, PublishError, busName } from './event-publisher';
export { hmac, timingSafeEqualText, anyMatches, sha256Hex } from './hmac';
export type { HmacAlgorithm, DigestEncoding } from './hmac';
export { withinWindow, parseEpoch, parseIso, DEFAULT_TOLERANCE_SECONDS } from './timestamp-window';
