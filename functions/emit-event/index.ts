/** `${FnEmitEvent}`: run announcements and workflow emit steps. */
import middy from '@middy/core';
import { emitRunEvent } from '../../events/emit-run-event';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { eventPublisher } from '../../shared/composition/publisher';
import { auditLog } from '../../shared/composition/tables';
import { runLogging } from '../run-logging';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy().use(runLogging()).handler((event: unknown) => emitRunEvent({ publisher: eventPublisher(env), audit: auditLog(env) }, event));
}

export const handler = createHandler(parseEnvironment(process.env));
