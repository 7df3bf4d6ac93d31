/** The EventBridge client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { cachedClient } from './client-config';

export const eventBridgeClient = cachedClient('EVENTBRIDGE', (config) => new EventBridgeClient(config));
