/**
 * `${FnEmitEvent}`: run announcements (a run's start claims its webhook delivery) and workflow emit steps; and,
 * from the stack's rule on the default bus, Step Functions' status change of an execution that ended where its
 * workflow could not record the end itself (stopped, timed out, failed past every Catch).
 */
import { emitRunEvent } from '../../events/emit-run-event';
import { isExecutionStatusChange } from '../../events/aws-states';
import { recordExecutionEnd, type ExecutionEndedOutput } from '../../events/execution-ended';
import type { EmitEventOutput } from '../../shared/contracts/emit-event';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { eventPublisher } from '../../shared/composition/publisher';
import { auditWriter, stateTable } from '../../shared/composition/tables';
import { DeliveryRuns } from '../../shared/webhooks/delivery-runs';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return loggedInvocation(
    (event: unknown): Promise<EmitEventOutput | ExecutionEndedOutput> =>
      isExecutionStatusChange(event)
        ? // The stack names the bus after the deployment's prefix, and each machine `<prefix>-<workflow>`.
          recordExecutionEnd({ audit: auditWriter(env), publisher: eventPublisher(env), namePrefix: env.busName }, event)
        : emitRunEvent({ publisher: eventPublisher(env), audit: auditWriter(env), runs: new DeliveryRuns(stateTable(env)) }, event),
    runLogging(),
  );
}

export const handler = createHandler(parseEnvironment(process.env));
