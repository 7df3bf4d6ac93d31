/**
 * The console's Lambda handler over its part of the definition
 * (shared/console/console-slice.ts): index.ts makes that part from the
 * whole definition, a deployment writes it at synth as data
 * (infra/definition-entries.ts), the local runtime makes it at start.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AiosEnvironment } from '../../shared/composition/environment';
import type { ConsoleSlice } from '../../shared/console/console-slice';
import type { ConsoleKnowledge } from '../../shared/console/deps';
import { runLogging } from '../run-logging';
import { createConsoleApp, type ConsoleApp } from './app';
import { consoleDeps } from './console-deps';
import { eventResult, requestOfEvent } from './console-request';
import { loggedInvocation } from '../logged-invocation';

/** The handler over `env`, its part of the definition and the knowledge base `knowledge` makes (embeddings and the write path only where embeddings may be on). */
export function consoleHandler(env: AiosEnvironment, slice: () => ConsoleSlice, knowledge: (env: AiosEnvironment) => ConsoleKnowledge) {
  // The route table is made on the first request, not while the Lambda loads.
  let app: ConsoleApp | undefined;
  return loggedInvocation(async (event: APIGatewayProxyEventV2) => {
    const request = requestOfEvent(event);
    app ??= createConsoleApp(() => consoleDeps(env, slice(), knowledge));
    return eventResult(await app.answer(request), request.method);
  }, runLogging());
}
