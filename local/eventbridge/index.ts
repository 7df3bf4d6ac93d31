/** The local EventBridge (AWS JSON 1.1, `AWSEvents.*`) with its store and target delivery. */
export { EventBridgeService, createEventBridgeService, type EventBridgeServiceOptions } from './eventbridge-service';
export { EventBridgeStore } from './eventbridge-store';
export { type EventTargetPorts, type RetryPolicy, DEFAULT_RETRY, targetKind } from './target-delivery';
export { targetInput, fillInputTemplate } from './target-input';
