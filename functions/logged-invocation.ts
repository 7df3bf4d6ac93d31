/**
 * A Lambda invocation: middlewares (functions/run-logging.ts) around the handler, run as @middy/core 6
 * runs them for a handler that does not stream: `before` in order, the handler (given the event and the
 * Lambda context) raced against a TimeoutError 5 ms before Lambda's deadline, `after` in reverse; on a
 * failure of either, `onError` in reverse and the error thrown again unless a middleware answered.
 * Written out here, for every function, because middy loads node:stream/web and the other stream
 * modules it needs for streaming answers, which no AIOS function gives: about 30 M instructions of each
 * function's cold load (2 ms of a tool function's ~50).
 * test/unit/logging/logged-invocation.test.ts holds it to middy's behaviour.
 */
import type middy from '@middy/core';

interface Request<E, C> {
  event: E;
  context: C & { getRemainingTimeInMillis?: () => number };
  response: unknown;
  error: unknown;
  internal: Record<string, unknown>;
  earlyResponse?: unknown;
}

// As middy's default plugin configuration: answered 5 ms before the deadline, with its error.
const TIMEOUT_EARLY_MS = 5;

function timeoutError(): Error {
  const err = new Error('[AbortError]: The operation was aborted.', { cause: { package: '@middy/core' } });
  err.name = 'TimeoutError';
  return err;
}

async function runMiddlewares<E, C>(request: Request<E, C>, middlewares: readonly middy.MiddlewareFn[]): Promise<void> {
  for (const next of middlewares) {
    const res: unknown = await next(request as never);
    // A middleware's answer ends the chain and becomes the response.
    if (res !== undefined) request.earlyResponse = res;
    if (Object.hasOwn(request, 'earlyResponse')) {
      request.response = request.earlyResponse;
      return;
    }
  }
}

/** `handler` with `middlewares` around it, as `middy(handler).use(middlewares)`. */
export function loggedInvocation<E, R, C extends object = object>(handler: (event: E, context: C) => Promise<R>, middlewares: readonly middy.MiddlewareObj[]) {
  const before = middlewares.flatMap((m) => (m.before ? [m.before] : []));
  const after = middlewares.flatMap((m) => (m.after ? [m.after] : [])).reverse();
  const onError = middlewares.flatMap((m) => (m.onError ? [m.onError] : [])).reverse();
  return async (event: E = {} as E, context: C = {} as C): Promise<R> => {
    const request: Request<E, C> = { event, context, response: undefined, error: undefined, internal: {} };
    let timer: NodeJS.Timeout | undefined;
    try {
      await runMiddlewares(request, before);
      if (!Object.hasOwn(request, 'earlyResponse')) {
        const answers: Promise<unknown>[] = [handler(request.event, request.context)];
        const { context: ctx } = request;
        if (ctx.getRemainingTimeInMillis)
          answers.push(new Promise((_, reject) => (timer = setTimeout(() => reject(timeoutError()), ctx.getRemainingTimeInMillis!() - TIMEOUT_EARLY_MS))));
        request.response = await Promise.race(answers);
        clearTimeout(timer);
        await runMiddlewares(request, after);
      }
    } catch (e) {
      clearTimeout(timer);
      request.response = undefined;
      request.error = e;
      try {
        await runMiddlewares(request, onError);
      } catch (unhandled) {
        (unhandled as { originalError?: unknown }).originalError = request.error;
        throw unhandled;
      }
      if (request.response === undefined) throw request.error;
    }
    return request.response as R;
  };
}
