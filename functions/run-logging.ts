/**
 * Structured JSON logs for every AIOS function (shared/logging/json-logger.ts):
 * the Lambda context on each line, and the run id as correlation id so that
 * one run's lines can be found across all its functions.
 */
import type middy from '@middy/core';
import { JsonLogger, type InvocationContext, type LogLevel } from '../shared/logging/json-logger';

/** Errors and warnings to stderr, the rest to stdout; written directly, not through Lambda's patched console (which would wrap the line again). */
function writeLine(line: string, level: LogLevel): void {
  (level === 'ERROR' || level === 'CRITICAL' || level === 'WARN' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** `Root=1-…;Parent=…;Sampled=1` → the trace id itself. */
function traceId(): string | undefined {
  return process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '') || undefined;
}

// The stack sets POWERTOOLS_SERVICE_NAME (the name Powertools read, kept so existing log queries still match) and Lambda sets
// AWS_LAMBDA_LOG_LEVEL from the function's application log level.
export const logger = new JsonLogger({
  service: process.env.POWERTOOLS_SERVICE_NAME ?? 'aios',
  level: process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL,
  write: writeLine,
  traceId,
});

/** The run an event belongs to: `runId` in AIOS payloads (the execution's name in a status change), else API Gateway's request id. */
export function correlationIdOf(event: unknown): string | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const e = event as { runId?: unknown; requestContext?: { requestId?: unknown }; source?: unknown; detail?: { name?: unknown } };
  if (typeof e.runId === 'string') return e.runId;
  // Step Functions' status change names the execution, whose name is the run id.
  if (e.source === 'aws.states' && typeof e.detail?.name === 'string') return e.detail.name;
  if (typeof e.requestContext?.requestId === 'string') return e.requestContext.requestId;
  return undefined;
}

/** Whether middy was given a Lambda context (the local runtime may call a handler without one). */
function isInvocationContext(context: unknown): context is InvocationContext {
  return !!context && typeof context === 'object' && typeof (context as Partial<InvocationContext>).awsRequestId === 'string';
}

/** The middlewares every handler uses: `middy(fn).use(runLogging())`. */
export function runLogging(log: JsonLogger = logger): middy.MiddlewareObj[] {
  return [
    {
      before: (request) => {
        log.clearInvocation();
        if (isInvocationContext(request.context)) log.addContext(request.context);
        const id = correlationIdOf(request.event);
        if (id) log.setCorrelationId(id);
      },
      after: () => log.clearInvocation(),
      onError: (request) => {
        log.error('invocation failed', request.error as Error);
        log.clearInvocation();
      },
    },
  ];
}
