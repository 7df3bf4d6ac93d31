/**
 * The approval pages' Lambda handler over the part of the definition the
 * approval service reads; index.ts gives it the whole definition, a
 * deployment that part, written at synth (infra/definition-entries.ts).
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { approvalDeps, type ApprovalDefinition } from '../../shared/composition/approvals';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { logger, runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';
import { routeApprovalRequest } from './route';

export function approvalHttpHandler(env: AiosEnvironment, definition: () => ApprovalDefinition) {
  return loggedInvocation(
    async (event: APIGatewayProxyEventV2, context: Context) =>
      routeApprovalRequest(
        approvalDeps(env, definition()),
        event,
        // A caller without a Lambda context (some local paths) has no deadline to answer before.
        typeof context?.getRemainingTimeInMillis === 'function'
          ? {
              timeLeft: () => context.getRemainingTimeInMillis(),
              // The decision goes on after the 503; if it fails, the reconciler finishes what it recorded.
              onLateFailure: (error) =>
                logger.error('approval page: work after a late answer failed', error instanceof Error ? error : { error: String(error) }),
            }
          : undefined,
      ),
    runLogging(),
  );
}
