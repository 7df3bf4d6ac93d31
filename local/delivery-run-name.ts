/**
 * One run per webhook delivery, even when the delivery was published twice
 * (the process died after the bus accepted it and before the ledger marked
 * it done, and the vendor's retry published it again). Events from the
 * webhook ingest name their delivery in `resources`; the execution a rule
 * starts for such an event gets a name derived from the state machine and
 * the delivery, so the second start finds the first execution's name taken.
 */
import { createHash } from 'node:crypto';
import { DELIVERY_RESOURCE_PREFIX } from '../shared/webhooks/delivery-ledger';

/** The execution name for an event that names its webhook delivery; undefined for any other input. */
export function deliveryRunName(stateMachineArn: string, input: string): string | undefined {
  let event: unknown;
  try {
    event = JSON.parse(input);
  } catch {
    return undefined;
  }
  const resources = (event as { resources?: unknown })?.resources;
  if (!Array.isArray(resources)) return undefined;
  const delivery = resources.find((r): r is string => typeof r === 'string' && r.startsWith(DELIVERY_RESOURCE_PREFIX));
  if (!delivery) return undefined;
  return `webhook-${createHash('sha256').update(`${stateMachineArn}\n${delivery}`).digest('hex').slice(0, 48)}`;
}
