import middy from '@middy/core';
import { runLogging } from '../../../functions/run-logging';
import { errorEntry, JsonLogger, type LogLevel } from '../../../shared/logging/json-logger';

function capture(level?: string) {
  const lines: { line: Record<string, unknown>; level: LogLevel }[] = [];
  const logger = new JsonLogger({
    service: 'aios-test',
    level,
    write: (line, lvl) => lines.push({ line: JSON.parse(line) as Record<string, unknown>, level: lvl }),
    now: () => new Date('2026-12-07T10:00:00.000Z'),
    traceId: () => '1-abc-def',
  });
  return { logger, lines };
}

const context = {
  functionName: 'aios-emit-event',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:aios-emit-event',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
};

test('a line carries level, message, timestamp, service, trace id and the extra keys', () => {
  const { logger, lines } = capture();
  logger.info('run started', { runId: 'r1', attempt: 2 });
  expect(lines).toEqual([
    {
      level: 'INFO',
      line: {
        level: 'INFO',
        message: 'run started',
        timestamp: '2026-12-07T10:00:00.000Z',
        service: 'aios-test',
        xray_trace_id: '1-abc-def',
        runId: 'r1',
        attempt: 2,
      },
    },
  ]);
  expect(Object.keys(lines[0].line).slice(0, 4)).toEqual(['level', 'message', 'timestamp', 'service']);
});

test('lines below the level are not written; an unknown level name means INFO', () => {
  const warn = capture('warn');
  warn.logger.info('quiet');
  warn.logger.warn('loud');
  expect(warn.lines.map((l) => l.line.message)).toEqual(['loud']);
  const unknown = capture('chatty');
  unknown.logger.debug('quiet');
  unknown.logger.info('loud');
  expect(unknown.lines.map((l) => l.line.message)).toEqual(['loud']);
  const debug = capture('DEBUG');
  debug.logger.debug('seen');
  expect(debug.lines.map((l) => l.level)).toEqual(['DEBUG']);
});

test('an error is written under `error` with its name, location, message, stack and cause', () => {
  const { logger, lines } = capture();
  const cause = new TypeError('socket closed');
  const error = new Error('boom', { cause });
  logger.error('invocation failed', error);
  const written = lines[0].line.error as Record<string, unknown>;
  expect(written).toMatchObject({ name: 'Error', message: 'boom', stack: error.stack, cause: { name: 'TypeError', message: 'socket closed' } });
  expect(written.location).toMatch(/json-logger\.test\.ts:\d+:\d+$/);
  expect(errorEntry(Object.assign(new Error('plain'), { stack: 'no frames' })).location).toBe('');
});

test('the invocation context and correlation id are on every line until cleared; only the first invocation is a cold start', () => {
  const { logger, lines } = capture();
  logger.addContext(context);
  logger.setCorrelationId('run-7');
  logger.warn('first');
  logger.clearInvocation();
  logger.info('between');
  logger.addContext({ ...context, awsRequestId: 'req-2' });
  logger.info('second');
  expect(lines[0].line).toMatchObject({
    cold_start: true,
    function_name: 'aios-emit-event',
    function_arn: context.invokedFunctionArn,
    function_memory_size: 256,
    function_request_id: 'req-1',
    correlation_id: 'run-7',
  });
  expect(lines[1].line).not.toHaveProperty('function_request_id');
  expect(lines[1].line).not.toHaveProperty('correlation_id');
  expect(lines[2].line).toMatchObject({ cold_start: false, function_request_id: 'req-2' });
  expect(lines[2].line).not.toHaveProperty('correlation_id');
});

test('an extra key never replaces a field every line has; a value JSON cannot hold still leaves a line', () => {
  const { logger, lines } = capture();
  logger.info('kept', { level: 'DEBUG', message: 'replaced?', big: 10n });
  expect(lines[0].line).toMatchObject({ level: 'INFO', message: 'kept', big: '10' });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  logger.info('cyclic', { cyclic });
  expect(lines[1].line).toMatchObject({ level: 'INFO', message: 'cyclic' });
  expect(lines[1].line.log_error).toMatch(/extra keys not written/);
});

test('the handler middleware logs a failed invocation with its context and run id, rethrows, and forgets both afterwards', async () => {
  const { logger, lines } = capture();
  const handler = middy()
    .use(runLogging(logger))
    .handler((event: unknown) => {
      if ((event as { fail?: boolean }).fail) throw new Error('tool crashed');
      return Promise.resolve('ok');
    });
  await expect(handler({ runId: 'run-1', fail: true }, context as never)).rejects.toThrow('tool crashed');
  expect(lines).toHaveLength(1);
  expect(lines[0].level).toBe('ERROR');
  expect(lines[0].line).toMatchObject({
    message: 'invocation failed',
    correlation_id: 'run-1',
    function_request_id: 'req-1',
    cold_start: true,
    error: { name: 'Error', message: 'tool crashed' },
  });
  await expect(handler({ runId: 'run-2' }, { ...context, awsRequestId: 'req-2' } as never)).resolves.toBe('ok');
  logger.info('after the invocation');
  expect(lines[1].line).not.toHaveProperty('correlation_id');
  expect(lines[1].line).not.toHaveProperty('function_request_id');
  // API Gateway requests correlate by their request id.
  await expect(
    middy()
      .use(runLogging(logger))
      .handler(() => Promise.reject(new Error('bad request')))({ requestContext: { requestId: 'api-9' } }, context as never),
  ).rejects.toThrow('bad request');
  expect(lines[2].line).toMatchObject({ correlation_id: 'api-9', cold_start: false });
});
