import middy from '@middy/core';
import { runLogging } from '../run-logging';
import { AuditLog } from '../../shared/audit/audit-log';
import { emitRunEvent } from '../../events/emit-run-event';
import { openTable } from '../../shared/tables';
import { EventBridgePublisher } from '../../shared/webhooks/event-publisher';

/** `${FnEmitEvent}`: run announcements and workflow emit steps. */
export const handler = middy().use(runLogging()).handler((event: unknown) => emitRunEvent({ publisher: new EventBridgePublisher(), audit: new AuditLog(openTable('audit')) }, event));
