/**
 * What `${FnEmitEvent}` does for a compiled workflow: announce the run's
 * start and end as `aios.run.*` events (and their audit records), or publish
 * an `emit` step's event (source `aios.workflow`).
 *
 * A run's start first claims the webhook delivery that triggered it, or
 * for an event put on the bus directly that event's id (see
 * shared/webhooks/delivery-runs.ts): a delivery published twice, or one bus
 * event delivered twice, starts a second execution, which is told
 * `duplicateOf` and ends without acting.
 */
import { aiosRunEvent } from './aios';
import { appendOnceEach } from '../shared/audit/append-each';
import type { AuditWriter } from '../shared/audit/audit-log';
import { triggerClaimOf, type DeliveryRuns } from '../shared/webhooks/delivery-runs';
import type { EventPublisher } from '../shared/webhooks/ports';
import { emitEventInputSchema, type EmitEventOutput } from '../shared/contracts/emit-event';

export interface EmitDeps {
  publisher: EventPublisher;
  audit: AuditWriter;
  /** Which run each webhook delivery started (the `state` table). */
  runs: DeliveryRuns;
  now?: () => Date;
}

/** Source of events emitted by workflow `emit` steps. */
export const WORKFLOW_EVENT_SOURCE = 'aios.workflow';

function describeTrigger(trigger: unknown): { kind: 'event' | 'schedule' | 'manual'; source?: string; detailType?: string; id?: string } {
  if (!trigger || typeof trigger !== 'object') return { kind: 'manual' };
  const t = trigger as Record<string, unknown>;
  if (typeof t.source !== 'string' || typeof t['detail-type'] !== 'string') return { kind: 'manual' };
  return {
    kind: t.source === 'aios.scheduler' ? 'schedule' : 'event',
    source: t.source,
    detailType: t['detail-type'],
    ...(typeof t.id === 'string' ? { id: t.id } : {}),
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
      const trigger = describeTrigger(e.detail.trigger);
      const delivery = triggerClaimOf(e.detail.trigger);
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
                  data: { source: trigger.source!, detailType: trigger.detailType!, ...(trigger.id ? { eventId: trigger.id } : {}) },
                },
              ]
            : []),
          {
            once: 'run.started',
            kind: 'run.started' as const,
            data: { workflowId: e.workflowId, trigger: trigger.kind, ...(trigger.source ? { source: trigger.source, detailType: trigger.detailType } : {}) },
          },
        ],
        { newChain: true },
      );
      eventIds = await deps.publisher.publish([aiosRunEvent('aios.run.started', { ...ids, startedAt: startedAt ?? now.toISOString(), trigger }, now)]);
      break;
    }
    case 'aios.run.succeeded':
      // A run succeeds once (a redrive starts only from a failure), so a retried end task writes it once.
      await deps.audit.appendOnce(e.runId, 'run.ended:SUCCEEDED', 'run.ended', { status: 'SUCCEEDED' });
      eventIds = await deps.publisher.publish([
        aiosRunEvent('aios.run.succeeded', { ...ids, startedAt: startedAt ?? now.toISOString(), endedAt: now.toISOString() }, now),
      ]);
      break;
    case 'aios.run.failed': {
      const error = typeof e.detail.error === 'string' && e.detail.error ? e.detail.error : 'States.Unknown';
      const cause = typeof e.detail.cause === 'string' ? e.detail.cause : undefined;
      // Not once: a redriven run may fail again, and each failure is the record's to keep.
      await deps.audit.append(e.runId, 'run.ended', { status: 'FAILED', error });
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
