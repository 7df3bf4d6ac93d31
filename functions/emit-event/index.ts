import middy from '@middy/core';
import { runLogging } from '../run-logging';
import { AuditLog } from '../../shared/audit/audit-log';
import { emitRunEvent } from '../../events/emit-run-event';
import { openTable } from '../../shared/tables';
import { DeliveryRuns } from '../../shared/webhooks/delivery-runs';
import { EventBridgePublisher } from '../../shared/webhooks/event-publisher';

const deps = () => ({ publisher: new EventBridgePublisher(), audit: new AuditLog(openTable('audit')), runs: new DeliveryRuns(openTable('state')) });

/** `${FnEmitEvent}`: run announcements (a run's start claims its webhook delivery) and workflow emit steps. */
export const handler = middy().use(runLogging()).handler((event: unknown) => emitRunEvent(deps(), event));
