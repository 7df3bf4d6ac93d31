/**
 * What `${FnEmitEvent}` does for a compiled workflow: announce the run's
 * start and end as `aios.run.*` events (and their audit records), or publish
 * an `emit` step's event (source `aios.workflow`).
 *
 * A run's start first claims the webhook delivery that triggered it, or
 * for an event put on the bus directly that event's id (see
 * shared/webhooks/delivery-runs.ts): a delivery published twice, or one bus
 * event delivered twice, starts a second execution, which is told
 * `duplicateOf` and ends without acting. A run a person started by hand
 * (its input wrapped with who: shared/contracts/manual-start.ts) claims
 * nothing: its input is what they gave, not a delivery, and its trail
 * starts with a manual `run.started` naming them, not `event.received`.
 */
import { aiosRunEvent } from './aios';
import { appendOnceEach } from '../shared/audit/append-each';
import type { AuditWriter } from '../shared/audit/audit-log';
import type { AuditData } from '../shared/audit/record';
import { recordRunEnd } from '../shared/audit/run-end';
import { triggerClaimOf, type DeliveryRuns } from '../shared/webhooks/delivery-runs';
import type { EventPublisher } from '../shared/webhooks/ports';
import { emitEventInputSchema, type EmitEventOutput } from '../shared/contracts/emit-event';
import { sentByOf, unwrapStartInput, type ManualStart } from '../shared/contracts/manual-start';

export interface EmitDeps {
  publisher: EventPublisher;
  audit: AuditWriter;
  /** Which run each webhook delivery started (the `state` table). */
  runs: DeliveryRuns;
  now?: () => Date;
}

/** Source of events emitted by workflow `emit` steps. */
export const WORKFLOW_EVENT_SOURCE = 'aios.workflow';

type Trigger = {
  kind: 'event' | 'schedule' | 'manual';
  /** A manual start: who typed it, when the input says (`source`… then describe the event they gave, if any). */
  operator?: string;
  via?: ManualStart['via'];
  source?: string;
  detailType?: string;
  id?: string;
  /** The event is a replay of an archived one (EventBridge's `replay-name`): the same id, delivered again on purpose. */
  replayName?: string;
  /** Who put the event on the bus by hand (`aios send-event`), as it says in its resources. */
  sentBy?: string;
};

/** `manual`: who started it by hand (null when the input says it was by hand but not who); undefined for an event or schedule. */
function describeTrigger(trigger: unknown, manual: ManualStart | null | undefined): Trigger {
  const byHand = manual === undefined ? undefined : { kind: 'manual' as const, ...(manual ? { operator: manual.operator, via: manual.via } : {}) };
  const t = trigger && typeof trigger === 'object' ? (trigger as Record<string, unknown>) : {};
  if (typeof t.source !== 'string' || typeof t['detail-type'] !== 'string') return byHand ?? { kind: 'manual' };
  return {
    ...(byHand ?? { kind: t.source === 'aios.scheduler' ? 'schedule' : 'event' }),
    source: t.source,
    detailType: t['detail-type'],
    ...(typeof t.id === 'string' ? { id: t.id } : {}),
    ...(typeof t['replay-name'] === 'string' ? { replayName: t['replay-name'] } : {}),
    ...(sentByOf(t) ? { sentBy: sentByOf(t) } : {}),
  };
}

/** What the run's `run.started` record says started it. */
function startRecord(workflowId: string, trigger: Trigger): AuditData<'run.started'> {
  const event = trigger.source
    ? {
        source: trigger.source,
        detailType: trigger.detailType,
        ...(trigger.replayName ? { replayName: trigger.replayName } : {}),
        ...(trigger.sentBy ? { sentBy: trigger.sentBy } : {}),
      }
    : {};
  if (trigger.kind !== 'manual') return { workflowId, trigger: trigger.kind, ...event };
  // The event file given by hand is described, not recorded as received: no source sent it.
  return {
    workflowId,
    trigger: 'manual',
    ...(trigger.operator ? { operator: trigger.operator, via: trigger.via } : {}),
    ...event,
    ...(trigger.id ? { eventId: trigger.id } : {}),
  };
}

export async function emitRunEvent(deps: EmitDeps, raw: unknown): Promise<EmitEventOutput> {
  const e = emitEventInputSchema.parse(raw);
  const now = (deps.now ?? (() => new Date()))();
  const ids = { runId: e.runId, workflowId: e.workflowId };
  const startedAt = typeof e.detail.startedAt === 'string' ? e.detail.startedAt : undefined;
  let eventIds: string[];
  switch (e.detailType) {
    case 'aios.run.started': {
      const start = unwrapStartInput(e.detail.trigger);
      const trigger = describeTrigger(start.input, start.byHand ? (start.manual ?? null) : undefined);
      const delivery = start.byHand ? undefined : triggerClaimOf(start.input);
      const holder = delivery ? await deps.runs.claim(e.workflowId, delivery, e.runId) : e.runId;
      if (holder !== e.runId) {
        // Once, though a retried task may come here again: the duplicate's whole trail is this record.
        await deps.audit.appendOnce(e.runId, 'run.duplicate', 'run.duplicate', {
          workflowId: e.workflowId,
          delivery: delivery!,
          duplicateOf: holder,
          source: trigger.source ?? '',
          detailType: trigger.detailType ?? '',
        });
        return { eventId: '', duplicateOf: holder };
      }
      // The run's chain starts with what it received, so the record shows the event that started it. Once each, though
      // the task is retried (after a crash the engine runs it again; a trail had 20 `event.received` after 20 kills).
      // Appended together: the second record's head carries the run's index listing (no marker item for it); the
      // chain is new but on a retry, so it is created without reading its head first.
      await appendOnceEach(
        deps.audit,
        e.runId,
        [
          ...(trigger.kind === 'event'
            ? [
                {
                  once: 'event.received',
                  kind: 'event.received' as const,
                  data: {
                    source: trigger.source!,
                    detailType: trigger.detailType!,
                    ...(trigger.id ? { eventId: trigger.id } : {}),
                    ...(trigger.replayName ? { replayName: trigger.replayName } : {}),
                    ...(trigger.sentBy ? { sentBy: trigger.sentBy } : {}),
                  },
                },
              ]
            : []),
          { once: 'run.started', kind: 'run.started' as const, data: startRecord(e.workflowId, trigger) },
        ],
        { newChain: true },
      );
      eventIds = await deps.publisher.publish([aiosRunEvent('aios.run.started', { ...ids, startedAt: startedAt ?? now.toISOString(), trigger }, now)]);
      break;
    }
    case 'aios.run.succeeded':
      // A retried end task writes it once (shared/audit/run-end.ts).
      await recordRunEnd(deps.audit, { runId: e.runId, status: 'SUCCEEDED', redriveCount: 0 });
      eventIds = await deps.publisher.publish([
        aiosRunEvent('aios.run.succeeded', { ...ids, startedAt: startedAt ?? now.toISOString(), endedAt: now.toISOString() }, now),
      ]);
      break;
    case 'aios.run.failed': {
      const error = typeof e.detail.error === 'string' && e.detail.error ? e.detail.error : 'States.Unknown';
      const cause = typeof e.detail.cause === 'string' ? e.detail.cause : undefined;
      // Once per redrive (a redriven run may fail again, and each failure is the record's to keep), by the key Step
      // Functions' status change of this failure records it with (events/execution-ended.ts): that finds this one.
      const redriveCount = typeof e.detail.redriveCount === 'number' ? e.detail.redriveCount : 0;
      await recordRunEnd(deps.audit, { runId: e.runId, status: 'FAILED', redriveCount, error });
      eventIds = await deps.publisher.publish([
        aiosRunEvent(
          'aios.run.failed',
          { ...ids, ...(startedAt ? { startedAt } : {}), endedAt: now.toISOString(), error, ...(cause !== undefined ? { cause } : {}) },
          now,
        ),
      ]);
      break;
    }
    default:
      eventIds = await deps.publisher.publish([
        { source: WORKFLOW_EVENT_SOURCE, detailType: e.detailType, detail: { ...e.detail, aios: { ...ids, stepId: e.stepId } }, time: now },
      ]);
  }
  return { eventId: eventIds[0] ?? '', duplicateOf: null };
}
