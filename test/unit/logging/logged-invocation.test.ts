/**
 * Every function's invocation (functions/logged-invocation.ts) next to @middy/core with the same
 * middlewares: the same answers, the same errors, the same log lines.
 */
import middy from '@middy/core';
import { loggedInvocation } from '../../../functions/logged-invocation';
import { runLogging } from '../../../functions/run-logging';
import { JsonLogger } from '../../../shared/logging/json-logger';

function capture() {
  const lines: unknown[] = [];
  const logger = new JsonLogger({
    service: 'aios-console',
    // The stack differs by the frames of each wrapping (and a timeout's location is the module that made the error); the rest is compared.
    write: (line) => lines.push(JSON.parse(line, (key, value: unknown) => (key === 'stack' || key === 'location' ? undefined : value))),
    now: () => new Date('2026-12-07T10:00:00.000Z'),
    traceId: () => undefined,
  });
  return { logger, lines };
}

const lambdaContext = (awsRequestId: string, remainingMs = 60_000) => ({
  functionName: 'aios-console',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:aios-console',
  memoryLimitInMB: '512',
  awsRequestId,
  getRemainingTimeInMillis: () => remainingMs,
});

type Handler = (event: { requestContext?: { requestId: string }; fail?: string; slowMs?: number }) => Promise<unknown>;

/** What each invocation gave (answer or error name, message and what it wraps) and the lines written, for both wrappings of `handler`. */
async function bothWays(handler: Handler, invocations: [unknown, unknown][]) {
  const outcomes = [];
  for (const wrap of ['middy', 'logged'] as const) {
    const { logger, lines } = capture();
    const wrapped =
      wrap === 'middy'
        ? middy(handler as never).use(runLogging(logger))
        : loggedInvocation(handler as (event: unknown) => Promise<unknown>, runLogging(logger));
    const results = [];
    for (const [event, context] of invocations) {
      try {
        results.push({ answer: await (wrapped as (e: unknown, c: unknown) => Promise<unknown>)(event, context) });
      } catch (e) {
        const err = e as Error & { originalError?: unknown };
        results.push({ error: err.name, message: err.message, cause: err.cause, originalError: err.originalError });
      }
    }
    outcomes.push({ results, lines });
  }
  return outcomes;
}

const answering: Handler = async (event) => {
  if (event.slowMs) await new Promise((resolve) => setTimeout(resolve, event.slowMs));
  if (event.fail) throw new Error(event.fail);
  return { statusCode: 200, body: 'ok', seen: event.requestContext?.requestId ?? null };
};

describe('the logged invocation runs its middlewares as middy does', () => {
  test('answers, failures (logged with the request id, rethrown) and invocations without a Lambda context', async () => {
    const [viaMiddy, viaLogged] = await bothWays(answering, [
      [{ requestContext: { requestId: 'api-1' } }, lambdaContext('req-1')],
      [{ requestContext: { requestId: 'api-2' }, fail: 'store unreachable' }, lambdaContext('req-2')],
      [{ requestContext: { requestId: 'api-3' } }, undefined],
      [undefined, undefined],
    ]);
    expect(viaLogged).toEqual(viaMiddy);
    expect(viaLogged.results[0]).toEqual({ answer: { statusCode: 200, body: 'ok', seen: 'api-1' } });
    expect(viaLogged.results[1]).toMatchObject({ error: 'Error', message: 'store unreachable' });
    expect(viaLogged.lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'invocation failed', correlation_id: 'api-2', function_request_id: 'req-2' }),
    ]);
  });

  test('an answer later than 5 ms before the deadline is a TimeoutError, logged as a failure', async () => {
    const [viaMiddy, viaLogged] = await bothWays(answering, [[{ requestContext: { requestId: 'api-4' }, slowMs: 200 }, lambdaContext('req-4', 20)]]);
    expect(viaLogged).toEqual(viaMiddy);
    expect(viaLogged.results[0]).toEqual({
      error: 'TimeoutError',
      message: '[AbortError]: The operation was aborted.',
      cause: { package: '@middy/core' },
      originalError: undefined,
    });
    expect(viaLogged.lines).toEqual([expect.objectContaining({ message: 'invocation failed', correlation_id: 'api-4' })]);
  });

  test('a middleware that answers ends the chain; one that throws while handling an error carries the original', async () => {
    const middlewares = (logger: JsonLogger): middy.MiddlewareObj[] => [
      ...runLogging(logger),
      { before: (request) => ((request.event as { early?: boolean }).early ? { statusCode: 204 } : undefined) },
      {
        onError: (request) => {
          if ((request.error as Error).message === 'recover') request.response = { statusCode: 503 };
          else throw new Error('onError failed');
        },
      },
    ];
    const invocations = [
      [{ early: true }, lambdaContext('req-5')],
      [{ fail: 'recover' }, lambdaContext('req-6')],
      [{ fail: 'boom' }, lambdaContext('req-7')],
    ] as const;
    const outcomes = [];
    for (const wrap of ['middy', 'logged'] as const) {
      const { logger, lines } = capture();
      const wrapped = (wrap === 'middy' ? middy(answering as never).use(middlewares(logger)) : loggedInvocation(answering as never, middlewares(logger))) as (
        e: unknown,
        c: unknown,
      ) => Promise<unknown>;
      const results = [];
      for (const [event, context] of invocations) {
        results.push(
          await wrapped(event, context).then(
            (answer) => ({ answer }),
            (e: Error & { originalError?: Error }) => ({ error: e.message, originalError: e.originalError?.message }),
          ),
        );
      }
      outcomes.push({ results, lines });
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[1].results).toEqual([{ answer: { statusCode: 204 } }, { answer: { statusCode: 503 } }, { error: 'onError failed', originalError: 'boom' }]);
  });

  test('the handler is given the Lambda context, or none, as middy gives it', async () => {
    const seen = async (_event: unknown, context: { awsRequestId?: string; getRemainingTimeInMillis?: () => number }) => ({
      requestId: context?.awsRequestId ?? null,
      deadline: typeof context?.getRemainingTimeInMillis === 'function',
    });
    const outcomes = [];
    for (const wrap of ['middy', 'logged'] as const) {
      const { logger } = capture();
      const wrapped = (wrap === 'middy' ? middy(seen as never).use(runLogging(logger)) : loggedInvocation(seen, runLogging(logger))) as (
        e: unknown,
        c: unknown,
      ) => Promise<unknown>;
      outcomes.push([await wrapped({}, lambdaContext('req-8')), await wrapped({}, undefined)]);
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[1]).toEqual([
      { requestId: 'req-8', deadline: true },
      { requestId: null, deadline: false },
    ]);
  });
});
