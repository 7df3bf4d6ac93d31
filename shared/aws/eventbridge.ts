/** The EventBridge client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const eventBridgeClient = /* @__PURE__ */ cachedClient('EVENTBRIDGE', (config) => new EventBridgeClient(config));
