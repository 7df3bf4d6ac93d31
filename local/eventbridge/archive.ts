/**
 * The local EventBridge's archive (local extensions, not in the AWS API):
 * every accepted event with its deliveries, listed by `LocalListEvents` and
 * sent through the bus's rules again by `LocalReplayEvent` (`aios events`).
 */
import { randomUUID } from 'node:crypto';
import { busNameOf, type Input, notFound, optionalString, requiredString } from './api-input';
import type { EventBridgeStore } from './eventbridge-store';
import type { EventRouter } from './routing';

export class EventArchive {
  constructor(
    private readonly store: EventBridgeStore,
    private readonly router: EventRouter,
    private readonly now: () => number,
  ) {}

  localListEvents(input: Input) {
    const limit = typeof input.Limit === 'number' ? Math.min(Math.max(1, input.Limit), 1000) : 50;
    const busInput = optionalString(input, 'EventBusName');
    const events = this.store.listEvents({ source: optionalString(input, 'Source'), bus: busInput === undefined ? undefined : busNameOf(busInput), limit });
    return {
      Events: events.map((e) => ({
        EventId: e.id,
        EventBusName: e.bus,
        Source: e.source,
        DetailType: e.detailType,
        Time: e.time,
        Event: JSON.stringify(e.event),
        Deliveries: this.store.listDeliveries(e.id).map((d) => ({
          Rule: d.rule,
          TargetId: d.targetId,
          TargetArn: d.targetArn,
          Status: d.status,
          Attempts: d.attempts,
          ...(d.error ? { Error: d.error } : {}),
        })),
      })),
    };
  }

  localReplayEvent(input: Input) {
    const id = requiredString(input, 'EventId');
    const archived = this.store.getEvent(id);
    if (!archived) throw notFound(`Event ${id}`);
    if (!this.store.getBus(archived.bus)) throw notFound(`Event bus ${archived.bus}`);
    const replayName = `local-replay-${randomUUID()}`;
    // Replayed events keep their id and carry `replay-name`, as EventBridge replays do.
    const event = { ...archived.event, 'replay-name': replayName };
    const matched = this.router.route(archived.bus, event, this.now());
    return { EventId: id, ReplayName: replayName, MatchedRules: matched };
  }
}
