/**
 * Structured JSON logs for every AIOS function (Powertools for AWS Lambda
 * logger): the Lambda context on each line, and the run id as correlation id
 * so that one run's lines can be found across all its functions.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type middy from '@middy/core';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aios' });

/** The run an event belongs to: `runId` in AIOS payloads, else API Gateway's request id. */
export function correlationIdOf(event: unknown): string | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const e = event as { runId?: unknown; requestContext?: { requestId?: unknown } };
  if (typeof e.runId === 'string') return e.runId;
  if (typeof e.requestContext?.requestId === 'string') return e.requestContext.requestId;
  return undefined;
}

const correlation: middy.MiddlewareObj = {
  before: (request) => {
    const id = correlationIdOf(request.event);
    if (id) logger.setCorrelationId(id);
  },
  onError: (request) => {
    logger.error('invocation failed', request.error as Error);
  },
};

/** The middlewares every handler uses: `middy(fn).use(runLogging())`. */
export function runLogging(): middy.MiddlewareObj[] {
  return [injectLambdaContext(logger, { resetKeys: true }) as middy.MiddlewareObj, correlation];
}
