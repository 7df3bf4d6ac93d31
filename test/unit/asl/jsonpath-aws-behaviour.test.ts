/**
 * JSONPath behaviour where AWS differs from the States Language spec page or
 * from what the local engine used to do. Each test names its source.
 */
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import { evaluateIntrinsic } from '../../../local/asl/intrinsics';

let sfn: LocalStepFunctions;
beforeEach(() => {
  const functions = new FunctionRegistry();
  functions.register('glue', async () => ({}));
  sfn = openStepFunctions({ dataDir: ':memory:', functions });
});
afterEach(() => sfn.close());

async function run(definition: object, input: unknown = {}) {
  const name = `m${Math.random().toString(36).slice(2, 10)}`;
  const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name, definition: JSON.stringify(definition) })) as { stateMachineArn: string };
  const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  return sfn.engine.waitForExecution(executionArn);
}

// Recorded AWS execution (ExecutionFailed of a Task whose Parameters path missed):
// error "States.Runtime", cause "An error occurred while executing the state 'Glue StartJobRun'
// (entered at the event id #8). The JSONPath '$.JobName' specified for the field 'JobName.$'
// could not be found in the input '{}'". The spec page's States.ParameterPathFailure is not what AWS raises,
// and States.ALL does not catch it.
test('a Parameters path that finds nothing fails the state with States.Runtime, located as AWS locates it, past any Catch', async () => {
  const row = await run({
    StartAt: 'First',
    States: {
      First: { Type: 'Pass', Next: 'Glue' },
      Glue: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:glue',
        Parameters: { 'JobName.$': '$.JobName' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  });
  expect(row.status).toBe('FAILED');
  expect(row.error).toBe('States.Runtime');
  expect(row.cause).toBe(
    "An error occurred while executing the state 'Glue' (entered at the event id #4). The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'",
  );
});

// AWS input and output processing: InputPath and OutputPath are Paths, and a Path may start with `$$` to
// select from the context object (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html,
// "Accessing the Context object"; the States Language spec, "Paths": "$$" selects the context object).
test('InputPath and OutputPath may select from the context object', async () => {
  const row = await run(
    {
      StartAt: 'Original',
      States: {
        Original: { Type: 'Pass', InputPath: '$$.Execution.Input.order', Next: 'Named' },
        Named: { Type: 'Pass', Parameters: { 'id.$': '$.id' }, ResultPath: '$.copy', OutputPath: '$$.State', Next: 'Items' },
        Items: { Type: 'Map', ItemsPath: '$$.Execution.Input.lines', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true },
      },
    },
    { order: { id: 'KC-9' }, lines: [1, 2] },
  );
  expect(row.status).toBe('SUCCEEDED');
  expect(JSON.parse(row.output!)).toEqual([1, 2]);
  const named = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$$.State.Name' } } });
  expect(JSON.parse(named.output!)).toBe('S');
});

// AWS intrinsic functions page: "If you specify a non-integer value for one or both the arguments, Step Functions
// will round it off to the nearest integer" (States.MathAdd), and the same for the start and end of States.MathRandom.
test('States.MathAdd and States.MathRandom round non-integer arguments to the nearest integer', () => {
  expect(evaluateIntrinsic('States.MathAdd($.a, $.b)', { a: 1.6, b: 2.2 }, {})).toBe(4);
  expect(evaluateIntrinsic('States.MathAdd(-1.4, 10)', {}, {})).toBe(9);
  for (let i = 0; i < 20; i++) {
    const r = evaluateIntrinsic('States.MathRandom(0.6, 2.4)', {}, {}) as number;
    expect(r).toBe(1);
  }
  expect(() => evaluateIntrinsic("States.MathAdd('1', 2)", {}, {})).toThrow(/expected a number/);
});

// Recorded AWS executions of States.MathAdd (LocalStack's AWS-validated snapshot
// tests/aws/services/stepfunctions/v2/intrinsic_functions/test_math_operations.snapshot.json): each argument is
// rounded to the nearest integer with halves going up (towards +∞), so -2.5 counts as -2 and 2.5 as 3, before adding.
test.each([
  [-9, 3, -6],
  [1.49, 1.5, 3],
  [1.5, 1.51, 4],
  [-1.49, -1.5, -2],
  [-1.5, -1.51, -3],
  [1.49, -1.49, 0],
  [0.5, 0, 1],
  [2.5, 0, 3],
  [-0.5, 0.5, 1],
  [-0.5, 0, 0],
  [-1.5, 0, -1],
  [-2.5, 0, -2],
  [-3.5, 0, -3],
])('States.MathAdd(%p, %p) is %p as on AWS', async (fst, snd, sum) => {
  const row = await run(
    { StartAt: 'Add', States: { Add: { Type: 'Pass', Parameters: { 'FunctionResult.$': 'States.MathAdd($.fst, $.snd)' }, End: true } } },
    { fst, snd },
  );
  expect(JSON.parse(row.output!)).toEqual({ FunctionResult: sum });
});
