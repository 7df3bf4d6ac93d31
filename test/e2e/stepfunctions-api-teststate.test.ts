/**
 * TestState through @aws-sdk/client-sfn, with the request and response shapes
 * of https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 * and the behaviour of https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidDefinition, SFNClient, TestStateCommand, ValidationException } from '@aws-sdk/client-sfn';
import { FunctionRegistry } from '../../local/functions';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
let runtime: LocalRuntime;
let sfn: SFNClient;
let dataDir: string;
let invocations = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-sfn-teststate-'));
  const functions = new FunctionRegistry();
  functions.register('greet', async (event) => {
    invocations++;
    return { greeting: `hello ${(event as { who: string }).who}` };
  });
  runtime = await startLocalRuntime({ port: 0, dataDir, functions });
  // TestState's endpoint carries the host prefix `sync-` on AWS; a local endpoint has none.
  sfn = new SFNClient({ endpoint: runtime.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, disableHostPrefix: true });
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a JSONPath Task invokes its function once; DEBUG shows every step of the data flow', async () => {
  const out = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify({
        Type: 'Task',
        Resource: fn('greet'),
        InputPath: '$.person',
        Parameters: { 'who.$': '$.name' },
        ResultSelector: { 'text.$': '$.greeting' },
        ResultPath: '$.reply',
        Next: 'Send',
      }),
      input: JSON.stringify({ person: { name: 'ada' } }),
      inspectionLevel: 'DEBUG',
    }),
  );
  expect(invocations).toBe(1);
  expect(out).toMatchObject({ status: 'SUCCEEDED', nextState: 'Send', output: JSON.stringify({ person: { name: 'ada' }, reply: { text: 'hello ada' } }) });
  expect(out.inspectionData).toMatchObject({
    input: '{"person":{"name":"ada"}}',
    afterInputPath: '{"name":"ada"}',
    afterParameters: '{"who":"ada"}',
    result: '{"greeting":"hello ada"}',
    afterResultSelector: '{"text":"hello ada"}',
    afterResultPath: '{"person":{"name":"ada"},"reply":{"text":"hello ada"}}',
  });
});

test('INFO answers output, status and next state only', async () => {
  const out = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', Result: 1, Next: 'B' }), input: '{}' }));
  expect(out.status).toBe('SUCCEEDED');
  expect(out.output).toBe('1');
  expect(out.nextState).toBe('B');
  expect(out.inspectionData).toBeUndefined();
});

test('a JSONata state with variables given in the request; inspectionData.variables shows them after Assign', async () => {
  const out = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify({
        QueryLanguage: 'JSONata',
        Type: 'Task',
        Resource: fn('greet'),
        Arguments: { who: '{% $states.input.name & $suffix %}' },
        Assign: { said: '{% $states.result.greeting %}' },
        Output: '{% $states.result.greeting %}',
        End: true,
      }),
      input: JSON.stringify({ name: 'grace' }),
      variables: JSON.stringify({ suffix: '!' }),
      inspectionLevel: 'TRACE',
    }),
  );
  expect(out.status).toBe('SUCCEEDED');
  expect(out.output).toBe('"hello grace!"');
  expect(out.nextState).toBeUndefined();
  expect(out.inspectionData?.afterArguments).toBe('{"who":"grace!"}');
  expect(JSON.parse(out.inspectionData!.variables!)).toEqual({ suffix: '!', said: 'hello grace!' });
});

test('a mocked result, stateName within a full definition and a given context', async () => {
  const before = invocations;
  const out = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify({
        StartAt: 'First',
        States: {
          First: { Type: 'Pass', Next: 'Call' },
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'greet', 'Payload.$': '$', 'exec.$': '$$.Execution.Name' },
            ResultSelector: { 'body.$': '$.Payload' },
            Next: 'Last',
          },
          Last: { Type: 'Succeed' },
        },
      }),
      stateName: 'Call',
      input: '{"who":"x"}',
      mock: { result: JSON.stringify({ Payload: { greeting: 'mocked' }, StatusCode: 200 }) },
      context: JSON.stringify({ Execution: { Name: 'from-context' } }),
      inspectionLevel: 'DEBUG',
    }),
  );
  expect(invocations).toBe(before);
  expect(out).toMatchObject({ status: 'SUCCEEDED', nextState: 'Last', output: '{"body":{"greeting":"mocked"}}' });
  expect(out.inspectionData?.afterParameters).toBe('{"FunctionName":"greet","Payload":{"who":"x"},"exec":"from-context"}');
});

test('a mocked error is RETRIABLE while a retrier has attempts left, then CAUGHT_ERROR by a Catch, else FAILED', async () => {
  const definition = JSON.stringify({
    Type: 'Task',
    Resource: fn('greet'),
    Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
    Catch: [{ ErrorEquals: ['Flaky'], ResultPath: '$.error', Next: 'Handle' }],
    End: true,
  });
  const mock = { errorOutput: { error: 'Flaky', cause: 'try later' } };
  const first = await sfn.send(new TestStateCommand({ definition, input: '{"a":1}', mock, inspectionLevel: 'DEBUG' }));
  expect(first).toMatchObject({ status: 'RETRIABLE', error: 'Flaky', cause: 'try later' });
  expect(first.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 2 });
  const second = await sfn.send(
    new TestStateCommand({ definition, input: '{"a":1}', mock, inspectionLevel: 'DEBUG', stateConfiguration: { retrierRetryCount: 1 } }),
  );
  expect(second.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 6 });
  const caught = await sfn.send(
    new TestStateCommand({ definition, input: '{"a":1}', mock, inspectionLevel: 'DEBUG', stateConfiguration: { retrierRetryCount: 2 } }),
  );
  expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Handle', output: '{"a":1,"error":{"Error":"Flaky","Cause":"try later"}}' });
  expect(caught.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
  const failed = await sfn.send(new TestStateCommand({ definition, mock: { errorOutput: { error: 'Other', cause: 'no' } } }));
  expect(failed).toMatchObject({ status: 'FAILED', error: 'Other', cause: 'no' });
});

test('Choice, Map with a mock, and the request errors AWS gives', async () => {
  const choice = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify({ Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' }),
      input: '{"n":5}',
    }),
  );
  expect(choice).toMatchObject({ status: 'SUCCEEDED', nextState: 'Big' });
  const map = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify({
        QueryLanguage: 'JSONata',
        Type: 'Map',
        Items: '{% $states.input.xs %}',
        ItemSelector: { x: '{% $states.context.Map.Item.Value %}' },
        ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
        Output: '{% $count($states.result) %}',
        End: true,
      }),
      input: '{"xs":[1,2]}',
      mock: { result: '[{"x":1},{"x":2}]' },
      inspectionLevel: 'DEBUG',
    }),
  );
  expect(map).toMatchObject({ status: 'SUCCEEDED', output: '2' });
  expect(map.inspectionData?.afterItemSelector).toBe('[{"x":1},{"x":2}]');
  await expect(sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', End: true }), mock: { result: '1' } }))).rejects.toBeInstanceOf(
    ValidationException,
  );
  await expect(sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', End: true }), context: '{}' }))).rejects.toBeInstanceOf(
    ValidationException,
  );
  await expect(sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Nope', End: true }) }))).rejects.toBeInstanceOf(InvalidDefinition);
});

// mock.fieldValidationMode (https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html): STRICT by
// default, PRESENT checks only the fields given, NONE checks nothing; fields the API does not define pass. Messages as AWS
// answers them (recorded in LocalStack's TestState snapshots, e.g. {"StatusCode":"200"} for lambda:invoke →
// "Mock result schema validation error: Field 'StatusCode' must be a number").
test("mock.fieldValidationMode checks a lambda:invoke result against Lambda Invoke's response, as AWS does", async () => {
  const definition = JSON.stringify({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: 'greet', 'Payload.$': '$' },
    OutputPath: '$.Payload',
    End: true,
  });
  const send = (result: unknown, fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE') =>
    sfn.send(
      new TestStateCommand({
        definition,
        input: '{"who":"ada"}',
        mock: { result: JSON.stringify(result), ...(fieldValidationMode ? { fieldValidationMode } : {}) },
      }),
    );
  const refusal = async (result: unknown, mode?: 'STRICT' | 'PRESENT' | 'NONE') => {
    const error = await send(result, mode).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationException);
    return (error as Error).message;
  };
  const before = invocations;
  expect(await refusal({ StatusCode: '200', Payload: {} })).toBe("Mock result schema validation error: Field 'StatusCode' must be a number");
  expect(await refusal({ StatusCode: '200' }, 'PRESENT')).toBe("Mock result schema validation error: Field 'StatusCode' must be a number");
  expect(await refusal({ ExecutedVersion: 1 }, 'STRICT')).toBe("Mock result schema validation error: Field 'ExecutedVersion' must be a string");
  expect(await refusal({ ExecutedVersion: '' }, 'PRESENT')).toBe(
    "Mock result schema validation error: Field 'ExecutedVersion' is smaller than the minimum length",
  );
  expect(await send({ StatusCode: '200', Payload: { n: 1 } }, 'NONE')).toMatchObject({ status: 'SUCCEEDED', output: '{"n":1}' });
  // Lambda's Invoke response requires no field, and a field it does not define is not refused.
  expect(await send({ Payload: 'plain', Extra: { any: true } })).toMatchObject({ status: 'SUCCEEDED', output: '"plain"' });
  // A Lambda function ARN used directly returns the function's own payload: there is no API shape to check.
  expect(
    await sfn.send(
      new TestStateCommand({ definition: JSON.stringify({ Type: 'Task', Resource: fn('greet'), End: true }), mock: { result: '{"StatusCode":"x"}' } }),
    ),
  ).toMatchObject({
    status: 'SUCCEEDED',
    output: '{"StatusCode":"x"}',
  });
  expect(invocations).toBe(before);
  await expect(send({}, 'LOOSE' as never)).rejects.toThrow(
    "1 validation error detected: Value 'LOOSE' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]",
  );
});

test('the mock checks AWS makes before running: state types, one of result/errorOutput, Map and Parallel results', async () => {
  const pass = JSON.stringify({ Type: 'Pass', End: true });
  await expect(sfn.send(new TestStateCommand({ definition: pass, mock: { result: '{}' } }))).rejects.toThrow(
    "State type 'Pass' is not supported when a mock is specified",
  );
  await expect(
    sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Task', Resource: fn('greet'), End: true }),
        mock: { result: '{}', errorOutput: { error: 'E' } },
      }),
    ),
  ).rejects.toThrow('A test mock should have only one of the following fields: [result, errorOutput].');
  const map = JSON.stringify({ Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true });
  await expect(sfn.send(new TestStateCommand({ definition: map, input: '[1]', mock: { result: '{}' } }))).rejects.toThrow('Mocked result must be an array.');
  const parallel = JSON.stringify({
    Type: 'Parallel',
    Branches: [
      { StartAt: 'L', States: { L: { Type: 'Pass', End: true } } },
      { StartAt: 'R', States: { R: { Type: 'Pass', End: true } } },
    ],
    End: true,
  });
  await expect(sfn.send(new TestStateCommand({ definition: parallel, mock: { result: '[1]' } }))).rejects.toThrow(
    'Mocked result must contain the same number of items as number of Parallel branches.',
  );
  expect(await sfn.send(new TestStateCommand({ definition: parallel, mock: { result: '[1,2]' } }))).toMatchObject({ status: 'SUCCEEDED', output: '[1,2]' });
  const unmocked = sfn.send(new TestStateCommand({ definition: map, input: '[1]' }));
  await expect(unmocked).rejects.toBeInstanceOf(InvalidDefinition);
  await expect(unmocked).rejects.toThrow(
    'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
  );
});
