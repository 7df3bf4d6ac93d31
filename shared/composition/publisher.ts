/** Publishing on the environment's bus (AIOS_BUS_NAME) through EventBridge PutEvents. */
import { eventBridgeClient } from '../aws/eventbridge';
import { EventBridgePublisher } from '../webhooks/event-publisher';
import type { EventPublisher } from '../webhooks/ports';
import type { AiosEnvironment } from './environment';

export function eventPublisher(env: AiosEnvironment): EventPublisher {
  return new EventBridgePublisher(
    () => eventBridgeClient({}, env.vars),
    () => env.busName,
  );
}
