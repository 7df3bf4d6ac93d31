/**
 * One run per webhook delivery and workflow, on AWS as on one machine.
 *
 * The delivery ledger cannot make publishing exactly once: a process that
 * dies after the bus accepted a delivery's event and before the ledger marked
 * it done leaves the vendor's retry to publish it again, and EventBridge
 * itself delivers to a target at least once. Nor can the start: an
 * EventBridge target cannot name the execution it starts, so Step Functions'
 * idempotent-by-name StartExecution is out of reach. So the run itself claims
 * its delivery before its first side effect: a conditional put of
 * (workflow, delivery) → run id. The run that wins goes on; a retry of the
 * same run finds its own id and goes on too; any other run is a duplicate
 * and ends as a no-op.
 *
 * An event put on the bus directly (not through a webhook) names no
 * delivery, but EventBridge delivers it at least once too, and the local bus
 * resumes, after a crash, the deliveries an event still owed, one of which
 * may have happened just before the kill. Such an event is claimed by its
 * event id, which every delivery of it carries. (A client that retries
 * PutEvents after a lost answer makes a new event with a new id: that is
 * two events, as on AWS.)
 */
import { ConditionFailedError, type Table } from '../storage/table';
import { DELIVERY_RESOURCE_PREFIX } from './delivery-ledger';

/** As long as the ledger keeps delivery ids: no vendor retries for longer. */
const RETAIN_SECONDS = 30 * 24 * 3600;

/** The delivery an event names in its `resources` (the webhook ingest puts it there), if any. */
export function deliveryOfEvent(event: unknown): string | undefined {
  const resources = (event as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources)) return undefined;
  return resources.find((r): r is string => typeof r === 'string' && r.startsWith(DELIVERY_RESOURCE_PREFIX));
}

/** What a bus event without a delivery is claimed by: its EventBridge event id. */
export const BUS_EVENT_PREFIX = 'aios:bus-event:';

/** What a replayed event's claim adds to the original's: each replay is its own attempt, deduplicated only against its own redeliveries. */
export const REPLAY_CLAIM_SEPARATOR = '#replay:';

/**
 * The trigger a run's start claims: the webhook delivery its event names,
 * else the event's own id. Scheduled and manual starts claim nothing. A
 * replayed event keeps its id and delivery (it carries `replay-name`, on AWS
 * as locally): it claims them within its replay, or every replay would end
 * as a duplicate of the run the original started.
 */
export function triggerClaimOf(trigger: unknown): string | undefined {
  const t = trigger as { source?: unknown; 'detail-type'?: unknown; id?: unknown; 'replay-name'?: unknown } | null;
  const replay = typeof t?.['replay-name'] === 'string' && t['replay-name'] !== '' ? `${REPLAY_CLAIM_SEPARATOR}${t['replay-name']}` : '';
  const delivery = deliveryOfEvent(trigger);
  if (delivery) return `${delivery}${replay}`;
  if (!t || typeof t.source !== 'string' || typeof t['detail-type'] !== 'string' || t.source === 'aios.scheduler') return undefined;
  return typeof t.id === 'string' && t.id !== '' ? `${BUS_EVENT_PREFIX}${t.id}${replay}` : undefined;
}

export function deliveryRunKey(workflowId: string, delivery: string) {
  return { pk: `delivery-run#${workflowId}#${delivery}`, sk: 'run' };
}

export class DeliveryRuns {
  constructor(
    private readonly table: Table,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Claims `delivery` for `runId` within `workflowId`; returns the run that
   * holds it: `runId` itself when this run may go on, another run's id when
   * this one is a duplicate.
   */
  async claim(workflowId: string, delivery: string, runId: string): Promise<string> {
    const key = deliveryRunKey(workflowId, delivery);
    const at = this.now();
    try {
      await this.table.put(
        { ...key, workflowId, delivery, runId, claimedAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + RETAIN_SECONDS },
        { itemExists: false },
      );
      return runId;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    const holder = await this.table.get(key);
    // Items are never deleted before their retention ends; a vanished one means it expired: claim afresh.
    if (!holder) return this.claim(workflowId, delivery, runId);
    return String(holder.runId);
  }
}
