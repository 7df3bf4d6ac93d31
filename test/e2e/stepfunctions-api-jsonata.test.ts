/**
 * JSONata and workflow variables through @aws-sdk/client-sfn against the
 * local runtime. Each case cites the AWS page whose documented behaviour it
 * checks:
 * - TD: https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 * - WV: https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 * - CH: https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 * - MP: https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 * - EH: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { FunctionRegistry } from '../../local/functions';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';

const ROLE = 'arn:aws:iam::123456789012:role/test';
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let runtime: LocalRuntime;
let sfn: SFNClient;
let dataDir: string;
let machines = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-sfn-jsonata-'));
  const functions = new FunctionRegistry();
  functions.register('price', async (event) => ({
    total: (event as { qty: number; unit: number }).qty * (event as { qty: number; unit: number }).unit,
    currency: 'EUR',
  }));
  functions.register('declined', async () => {
    const error = new Error('card declined');
    error.name = 'Payment.Declined';
    throw error;
  });
  runtime = await startLocalRuntime({ port: 0, dataDir, functions });
  sfn = createAwsClients({ endpoint: runtime.url }).sfn();
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function create(definition: object): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name: `jsonata-${++machines}`, definition: JSON.stringify(definition), roleArn: ROLE }));
  return out.stateMachineArn!;
}

async function run(
  definition: object,
  input: unknown = {},
): Promise<{ status?: string; output?: unknown; error?: string; cause?: string; executionArn: string }> {
  const stateMachineArn = await create(definition);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  for (let i = 0; i < 500; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING')
      return {
        status: d.status,
        output: d.output === undefined ? undefined : JSON.parse(d.output),
        error: d.error,
        cause: d.cause,
        executionArn: executionArn!,
      };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('still running');
}

const jsonata = (States: Record<string, object>, StartAt = Object.keys(States)[0]) => ({ QueryLanguage: 'JSONata', StartAt, States });

test('TD: Output replaces the five JSONPath fields; {% %} anywhere a value may be, $states.input and $states.context', async () => {
  const out = await run(
    jsonata({
      Shape: {
        Type: 'Pass',
        Output: {
          customer: '{% $states.input.name %}',
          lines: '{% $count($states.input.items) %}',
          total: '{% $sum($states.input.items.price) %}',
          state: '{% $states.context.State.Name %}',
          literal: '$not.evaluated',
          nested: ['{% $uppercase($states.input.name) %}'],
        },
        End: true,
      },
    }),
    { name: 'ada', items: [{ price: 2 }, { price: 3.5 }] },
  );
  expect(out).toMatchObject({
    status: 'SUCCEEDED',
    output: { customer: 'ada', lines: 2, total: 5.5, state: 'Shape', literal: '$not.evaluated', nested: ['ADA'] },
  });
});

test('TD: the functions Step Functions adds ($partition, $range, $hash, $random with seed, $uuid, $parse)', async () => {
  const out = await run(
    jsonata({
      Fns: {
        Type: 'Pass',
        Output: {
          partition: '{% $partition([1,2,3,4,5,6,7,8,9], 3) %}',
          range: '{% $range(0, 10, 2) %}',
          hash: "{% $hash('input data', 'SHA-256') %}",
          seeded: '{% $random(356) = $random(356) %}',
          unseeded: '{% $random() < 1 %}',
          uuid: '{% $uuid() %}',
          parsed: '{% $parse($states.input.json) %}',
        },
        End: true,
      },
    }),
    { json: '{"key":"value","n":[1,2]}' },
  );
  expect(out.output).toEqual({
    partition: [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
    range: [0, 2, 4, 6, 8, 10],
    hash: createHash('sha256').update('input data').digest('hex'),
    seeded: true,
    unseeded: true,
    uuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    parsed: { key: 'value', n: [1, 2] },
  });
});

// The messages are AWS's, as ValidateStateMachineDefinition and CreateStateMachine answer them (measured on AWS and
// reported in floci-io/floci#2670, #2745, #2968 and #2735): one "<CODE>: <message> at <location>" per diagnostic.
test('CreateStateMachine refuses an invalid expression, a top-level reference, fields of the other language or of another state type, as AWS words it', async () => {
  const refusal = async (def: object) => {
    const error = await create(def).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidDefinition);
    return (error as Error).message;
  };
  expect(await refusal(jsonata({ Main: { Type: 'Pass', Output: '{% 1 + %}', End: true } }))).toBe(
    "Invalid State Machine Definition: 'INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/Main/Output'",
  );
  expect(await refusal(jsonata({ E: { Type: 'Pass', Output: { v: '{% phone %}' }, End: true } }))).toBe(
    "Invalid State Machine Definition: 'UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported. at /States/E/Output/v'",
  );
  expect(await refusal(jsonata({ A: { Type: 'Pass', InputPath: '$.x', End: true } }))).toBe(
    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/A'",
  );
  expect(await refusal({ StartAt: 'P', States: { P: { Type: 'Pass', Output: { a: 1 }, End: true } } })).toBe(
    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/P'",
  );
  expect(await refusal(jsonata({ A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } }))).toBe(
    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/A'",
  );
  expect(await refusal(jsonata({ A: { Type: 'Fail', Assign: { x: 1 } } }))).toBe(
    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Assign' is not supported at /States/A'",
  );
  expect(await refusal(jsonata({ A: { Type: 'Pass', Assign: { 'bad-name': 1 }, End: true } }))).toMatch(
    /^Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: .* at \/States\/A\/Assign\/bad-name'$/,
  );
  // $eval is not a definition error on AWS: the definition is stored and the call fails when it runs.
  const evaluated = await run(jsonata({ E: { Type: 'Pass', Output: { r: '{% $eval("1+1") %}' }, End: true } }));
  expect(evaluated).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  expect(evaluated.cause).toBe(
    "An error occurred while executing the state 'E' (entered at the event id #2). The JSONata expression '$eval(\"1+1\")' specified for the field 'Output/r' threw an error during evaluation. T1006: Attempted to invoke a non-function",
  );
});

test("CH: Condition picks the rule; a rule carries its own Output and Assign, Default the state's", async () => {
  const def = jsonata({
    Route: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $states.input.type != 'Private' %}", Next: 'Done', Output: { route: 'public' }, Assign: { audience: 'everyone' } },
        {
          Condition: '{% $states.input.value >= 20 and $states.input.value < 30 %}',
          Next: 'Done',
          Output: { route: 'range' },
          Assign: { audience: 'twenties' },
        },
      ],
      Default: 'Done',
      Output: { route: 'default' },
      Assign: { audience: 'nobody' },
    },
    Done: { Type: 'Pass', Output: { route: '{% $states.input.route %}', audience: '{% $audience %}' }, End: true },
  });
  expect((await run(def, { type: 'Public', value: 1 })).output).toEqual({ route: 'public', audience: 'everyone' });
  expect((await run(def, { type: 'Private', value: 25 })).output).toEqual({ route: 'range', audience: 'twenties' });
  expect((await run(def, { type: 'Private', value: 99 })).output).toEqual({ route: 'default', audience: 'nobody' });
});

test('WV: every Assign of a state reads the values from before the state, and its Output does not see them', async () => {
  const out = await run(
    jsonata({
      Init: { Type: 'Pass', Assign: { x: 1 }, Next: 'Bump' },
      Bump: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', previous: '{% $x %}' }, Output: { seenByOutput: '{% $x %}' }, Next: 'Read' },
      Read: { Type: 'Pass', Output: { x: '{% $x %}', previous: '{% $previous %}', input: '{% $states.input %}' }, End: true },
    }),
  );
  expect(out.output).toEqual({ x: 2, previous: 1, input: { seenByOutput: 1 } });
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: out.executionArn }));
  const bumpExit = history.events!.find((e) => e.type === 'PassStateExited' && e.stateExitedEventDetails?.name === 'Bump')!;
  expect(bumpExit.stateExitedEventDetails).toMatchObject({ assignedVariables: { x: '2', previous: '1' }, assignedVariablesDetails: { truncated: false } });
});

test('TD: a Lambda Task with Arguments, Output from $states.result, Assign and TimeoutSeconds as an expression', async () => {
  const out = await run(
    jsonata({
      Price: {
        Type: 'Task',
        Resource: fn('price'),
        Arguments: { qty: '{% $states.input.quantity %}', unit: 4 },
        TimeoutSeconds: '{% $states.input.timeout %}',
        Assign: { currency: '{% $states.result.currency %}' },
        Output: { total: '{% $states.result.total %}' },
        Next: 'Receipt',
      },
      Receipt: { Type: 'Pass', Output: '{% $string($states.input.total) & " " & $currency %}', End: true },
    }),
    { quantity: 3, timeout: 30 },
  );
  expect(out).toMatchObject({ status: 'SUCCEEDED', output: '12 EUR' });
});

test('EH: a JSONata Catch has Output and Assign over $states.errorOutput', async () => {
  const out = await run(
    jsonata({
      Charge: {
        Type: 'Task',
        Resource: fn('declined'),
        Catch: [
          {
            ErrorEquals: ['Payment.Declined'],
            Next: 'Recover',
            Output: { failed: '{% $states.errorOutput.Error %}', order: '{% $states.input.order %}' },
            Assign: { reason: '{% $parse($states.errorOutput.Cause).errorMessage %}' },
          },
        ],
        End: true,
      },
      Recover: { Type: 'Pass', Output: { failed: '{% $states.input.failed %}', order: '{% $states.input.order %}', reason: '{% $reason %}' }, End: true },
    }),
    { order: 'KC-1' },
  );
  expect(out.output).toEqual({ failed: 'Payment.Declined', order: 'KC-1', reason: 'card declined' });
});

test('EH: an expression that returns nothing fails the state with States.QueryEvaluationError, naming the field; Catch can take it', async () => {
  const failed = await run(jsonata({ A: { Type: 'Pass', Output: { id: '{% $states.input.missing %}' }, End: true } }));
  expect(failed.status).toBe('FAILED');
  expect(failed.error).toBe('States.QueryEvaluationError');
  expect(failed.cause).toContain("The JSONata expression '$states.input.missing' specified for the field 'Output/id' returned nothing (undefined).");
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: failed.executionArn }));
  expect(history.events!.find((e) => e.type === 'EvaluationFailed')?.evaluationFailedEventDetails).toMatchObject({
    state: 'A',
    error: 'States.QueryEvaluationError',
    location: 'Output/id',
  });
  const caught = await run(
    jsonata({
      Price: {
        Type: 'Task',
        Resource: fn('price'),
        Arguments: { qty: '{% $states.input.nope %}' },
        Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Fallback' }],
        End: true,
      },
      Fallback: { Type: 'Pass', End: true },
    }),
  );
  expect(caught.output).toMatchObject({ Error: 'States.QueryEvaluationError' });
});

test('MP: Items and ItemSelector with $states.context.Map.Item; iterations read outer variables, their own stay inside', async () => {
  const out = await run(
    jsonata({
      Setup: { Type: 'Pass', Assign: { rate: 2 }, Next: 'Each' },
      Each: {
        Type: 'Map',
        Items: '{% $states.input.orders %}',
        MaxConcurrency: '{% 1 + 1 %}',
        ItemSelector: { index: '{% $states.context.Map.Item.Index %}', order: '{% $states.context.Map.Item.Value %}' },
        ItemProcessor: {
          StartAt: 'Scale',
          States: {
            Scale: { Type: 'Pass', Assign: { factor: 100, scaled: '{% $states.input.order.amount * $rate %}' }, Next: 'Emit' },
            Emit: { Type: 'Pass', Output: { index: '{% $states.input.index %}', scaled: '{% $scaled %}', factor: '{% $factor %}' }, End: true },
          },
        },
        Assign: { count: '{% $count($states.result) %}' },
        Output: { results: '{% $states.result %}', outerRate: '{% $rate %}' },
        Next: 'After',
      },
      After: {
        Type: 'Pass',
        Output: { count: '{% $count %}', rate: '{% $rate %}', results: '{% $states.input.results %}', leaked: '{% $exists($scaled) %}' },
        End: true,
      },
    }),
    { orders: [{ amount: 1 }, { amount: 5 }, { amount: 7 }] },
  );
  expect(out.output).toEqual({
    count: 3,
    rate: 2,
    leaked: false,
    results: [
      { index: 0, scaled: 2, factor: 100 },
      { index: 1, scaled: 10, factor: 100 },
      { index: 2, scaled: 14, factor: 100 },
    ],
  });
});

test("TD: Parallel takes Arguments; $states.result is the branches' outputs in order", async () => {
  const out = await run(
    jsonata({
      Both: {
        Type: 'Parallel',
        Arguments: { n: '{% $states.input.n * 10 %}' },
        Branches: [
          { StartAt: 'L', States: { L: { Type: 'Pass', Output: '{% $states.input.n + 1 %}', End: true } } },
          { StartAt: 'R', States: { R: { Type: 'Pass', Output: '{% $states.input.n + 2 %}', End: true } } },
        ],
        Output: '{% $sum($states.result) %}',
        End: true,
      },
    }),
    { n: 1 },
  );
  expect(out.output).toBe(23);
});

test('WV: a Parallel branch reads outer variables; what it assigns stays in the branch', async () => {
  const out = await run(
    jsonata({
      Set: { Type: 'Pass', Assign: { who: 'outer' }, Next: 'Both' },
      Both: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'L',
            States: { L: { Type: 'Pass', Assign: { side: 'left', mine: 1 }, Next: 'L2' }, L2: { Type: 'Pass', Output: '{% $side %}', End: true } },
          },
          { StartAt: 'R', States: { R: { Type: 'Pass', Output: '{% $who %}', End: true } } },
        ],
        Output: { branches: '{% $states.result %}', after: '{% $who %}', leaked: '{% $exists($mine) %}' },
        End: true,
      },
    }),
  );
  expect(out.output).toEqual({ branches: ['left', 'outer'], after: 'outer', leaked: false });
});

test('CH: a Condition that is not a boolean fails with States.QueryEvaluationError', async () => {
  const out = await run(
    jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n %}', Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } }),
    { n: 1 },
  );
  expect(out).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
});

test('TD: Wait Seconds and Timestamp, Fail Error and Cause take expressions', async () => {
  const waited = await run(
    jsonata({
      W: { Type: 'Wait', Seconds: '{% $states.input.s %}', Next: 'T' },
      T: { Type: 'Wait', Timestamp: '{% $states.input.at %}', Output: 'done', End: true },
    }),
    { s: 0, at: '2020-01-01T00:00:00Z' },
  );
  expect(waited.output).toBe('done');
  const failed = await run(jsonata({ F: { Type: 'Fail', Error: "{% 'Order.' & $states.input.code %}", Cause: '{% $string($states.input.n) %}' } }), {
    code: 'Late',
    n: 3,
  });
  expect(failed).toMatchObject({ status: 'FAILED', error: 'Order.Late', cause: '3' });
});

test('WV: a JSONPath machine mixes in a JSONata state; JSONPath reads variables as $name and assigns from $', async () => {
  const out = await run(
    {
      StartAt: 'Keep',
      States: {
        Keep: { Type: 'Pass', Parameters: { 'id.$': '$.order.id' }, Assign: { 'orderId.$': '$.id', source: 'web' }, Next: 'Mixed' },
        Mixed: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { id: '{% $orderId %}', from: '{% $source %}' }, Next: 'Back' },
        Back: { Type: 'Pass', Parameters: { 'id.$': '$orderId', 'formatted.$': "States.Format('{}-{}', $source, $.id)" }, End: true },
      },
    },
    { order: { id: 'KC-7' } },
  );
  expect(out.output).toEqual({ id: 'KC-7', formatted: 'web-KC-7' });
});

test('WV: one Assign past 256 KiB fails with States.DataLimitExceeded', async () => {
  const out = await run(
    jsonata({ Big: { Type: 'Pass', Assign: { blob: "{% $join($map($range(1, 300), function($i) { $pad('', 1000, 'x') }), '') %}" }, End: true } }),
  );
  expect(out).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
});
