/**
 * Publishing on the AIOS bus. `EventBridgePublisher` is the real adapter
 * (PutEvents through the client factory, so the local runtime's EventBridge
 * is reached the same way); `RecordingPublisher` keeps events for tests.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AiosError } from '../errors';
import { eventBridgeClient } from '../aws/eventbridge';
import type { EventPublisher } from './ports';
import type { BusEvent } from './types';

/** The bus name: explicit option > AIOS_BUS_NAME > `aios`. */
export function busName(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIOS_BUS_NAME || 'aios';
}

export class PublishError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Events.PublishFailed', message, details);
  }
}

/** PutEvents accepts at most 10 entries per call. */
const BATCH = 10;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: () => EventBridgeClient = () => eventBridgeClient(),
    private readonly bus: () => string = () => busName(),
  ) {}

  async publish(events: readonly BusEvent[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const out = await this.client().send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.bus(),
            Source: e.source,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
            Time: e.time,
            ...(e.resources ? { Resources: e.resources } : {}),
          })),
        }),
      );
      if (out.FailedEntryCount) {
        const failed = (out.Entries ?? []).filter((x) => x.ErrorCode).map((x) => `${x.ErrorCode}: ${x.ErrorMessage}`);
        throw new PublishError(`${out.FailedEntryCount} of ${batch.length} events were not accepted (${failed.join('; ')})`, { failed });
      }
      for (const entry of out.Entries ?? []) ids.push(entry.EventId ?? '');
    }
    return ids;
  }
}

/** Keeps what was published (unit tests). */
export class RecordingPublisher implements EventPublisher {
  readonly events: BusEvent[] = [];
  async publish(events: readonly BusEvent[]): Promise<string[]> {
    this.events.push(...events);
    return events.map((_, i) => `recorded-${this.events.length - events.length + i + 1}`);
  }
}
