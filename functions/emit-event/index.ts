/** `${FnEmitEvent}`: run announcements (a run's start claims its webhook delivery) and workflow emit steps. */
import { emitRunEvent } from '../../events/emit-run-event';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { eventPublisher } from '../../shared/composition/publisher';
import { auditWriter, stateTable } from '../../shared/composition/tables';
import { DeliveryRuns } from '../../shared/webhooks/delivery-runs';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return loggedInvocation(
    (event: unknown) => emitRunEvent({ publisher: eventPublisher(env), audit: auditWriter(env), runs: new DeliveryRuns(stateTable(env)) }, event),
    runLogging(),
  );
}

export const handler = createHandler(parseEnvironment(process.env));
