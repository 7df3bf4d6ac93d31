/**
 * The in-process function registry's invocation: what a handler gets (its own
 * copy of the event, a Lambda-like context) and how each way a handler ends
 * comes back (a value, a promise, a throw, a rejection, a result Lambda could
 * not serialise), never as a thrown error.
 */
import { FunctionRegistry, type LocalLambdaContext } from '../../../local/functions';

const options = { requestId: 'req-1' };

test('a synchronous value, a resolved promise and undefined come back as Lambda returns them', async () => {
  const functions = new FunctionRegistry();
  functions.register('sync', (event) => ({ got: event }));
  functions.register('async', async () => new Date(0));
  functions.register('nothing', () => undefined);
  await expect(functions.invoke('sync', { a: 1 }, options)).resolves.toEqual({ ok: true, payload: { got: { a: 1 } } });
  await expect(functions.invoke('async', null, options)).resolves.toEqual({ ok: true, payload: '1970-01-01T00:00:00.000Z' });
  await expect(functions.invoke('nothing', null, options)).resolves.toEqual({ ok: true, payload: null });
});

test('a throw, a rejection and a result with a cycle come back as failures; an unknown name as ResourceNotFound', async () => {
  const functions = new FunctionRegistry();
  functions.register('throws', () => {
    throw new RangeError('bad input');
  });
  functions.register('rejects', () => Promise.reject(new TypeError('no luck')));
  functions.register('cycle', async () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    return a;
  });
  const thrown = await functions.invoke('throws', {}, options);
  expect(thrown).toMatchObject({ ok: false, failure: { error: 'RangeError' } });
  expect(JSON.parse((thrown as { failure: { cause: string } }).failure.cause)).toMatchObject({ errorMessage: 'bad input', errorType: 'RangeError' });
  await expect(functions.invoke('rejects', {}, options)).resolves.toMatchObject({ ok: false, failure: { error: 'TypeError' } });
  await expect(functions.invoke('cycle', {}, options)).resolves.toMatchObject({ ok: false, failure: { error: 'TypeError' } });
  await expect(functions.invoke('missing', {}, options)).resolves.toMatchObject({ ok: false, failure: { error: 'Lambda.ResourceNotFoundException' } });
});

test('the handler is called at once with its own copy of the event', async () => {
  const functions = new FunctionRegistry();
  let called = false;
  functions.register('mutates', (event) => {
    called = true;
    (event as { n: number }).n = 2;
    return event;
  });
  const event = { n: 1 };
  const result = functions.invoke('mutates', event, options);
  expect(called).toBe(true);
  await expect(result).resolves.toEqual({ ok: true, payload: { n: 2 } });
  expect(event).toEqual({ n: 1 });
});

test('the context names the function in its own region and account, with the task identity only when given', async () => {
  const seen: LocalLambdaContext[] = [];
  const east = new FunctionRegistry('us-east-1', '111111111111');
  const west = new FunctionRegistry('eu-west-1', '222222222222');
  for (const functions of [east, west]) functions.register('f', (_event, context) => void seen.push(context));
  const task = { executionArn: 'arn:x', stateName: 'T', stateEnteredTime: 't', retryCount: 0, idempotencyKey: 'arn:x#T#t#0' };
  await east.invoke('f', {}, { requestId: 'r1', task });
  await west.invoke('f', {}, { requestId: 'r2' });
  await east.invoke('f', {}, { requestId: 'r3' });
  expect(seen[0]).toMatchObject({
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:f',
    logGroupName: '/aws/lambda/f',
    awsRequestId: 'r1',
    aiosTask: task,
  });
  expect(seen[1]).toMatchObject({ invokedFunctionArn: 'arn:aws:lambda:eu-west-1:222222222222:function:f', awsRequestId: 'r2' });
  expect(seen[2].invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:111111111111:function:f');
  expect('aiosTask' in seen[1]).toBe(false);
  expect(seen[1].getRemainingTimeInMillis()).toBeGreaterThan(0);
});
