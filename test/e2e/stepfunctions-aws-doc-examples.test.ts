/**
 * The JSONata and variables examples of AWS's Step Functions documentation, one
 * case each, run as executions through @aws-sdk/client-sfn against the local
 * runtime and compared with the output the page documents. A case names its page
 * and section; where a page's example is a fragment, the case wraps it in the
 * smallest machine that runs it (a Pass that assigns the variables it reads, a
 * state that shows what it assigned) and says so.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, InvalidDefinition, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { FunctionRegistry } from '../../local/functions';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';

const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg';
const TD = `${DOCS}/transforming-data.html`;
const WV = `${DOCS}/workflow-variables.html`;
const CO = `${DOCS}/input-output-contextobject.html`;
const CH = `${DOCS}/state-choice.html`;
const IS = `${DOCS}/input-output-itemselector.html`;
// The Choice and Map JSONata examples are AWS's States Language specification's (the Choice and Map pages link to it).
const SPEC = 'https://states-language.net/spec.html';
const ROLE = 'arn:aws:iam::123456789012:role/doc-examples';
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let runtime: LocalRuntime;
let sfn: SFNClient;
let dataDir: string;
let machines = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-sfn-docs-'));
  const functions = new FunctionRegistry();
  functions.register('echo', async (event) => event);
  functions.register('ship-val', async (event) => event);
  functions.register('get-price', async () => ({ current_price: 17.5 }));
  functions.register('order', async () => ({ order: { total: 30, items: [{ product: 'beans' }, { product: 'filter' }] }, result: { code: 'OK-7' } }));
  runtime = await startLocalRuntime({ port: 0, dataDir, functions });
  sfn = createAwsClients({ endpoint: runtime.url }).sfn();
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Outcome {
  status?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  executionArn: string;
}

async function create(definition: object): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name: `doc-${++machines}`, definition: JSON.stringify(definition), roleArn: ROLE }));
  return out.stateMachineArn!;
}

async function run(definition: object, input: unknown = {}): Promise<Outcome> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: await create(definition), input: JSON.stringify(input) }));
  for (let i = 0; i < 1000; i++) {
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

async function refused(definition: object): Promise<string> {
  const error = await create(definition).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidDefinition);
  return (error as Error).message;
}

const ata = (States: Record<string, object>, StartAt = Object.keys(States)[0]) => ({ QueryLanguage: 'JSONata', StartAt, States });
/** A Pass that shows values in its output, ending the machine. */
const show = (Output: unknown) => ({ Type: 'Pass', Output, End: true });

describe(`${TD}`, () => {
  test('"Converting from JSONPath to JSONata": the Parameters and Arguments samples give the documented result', async () => {
    const expected = { static: 'Hello', title: 'Doctor', name: 'María', 'not-evaluated': '$customerName' };
    const jsonPath = {
      StartAt: 'Name',
      States: {
        Name: { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'Call' },
        Call: {
          QueryLanguage: 'JSONPath',
          Type: 'Task',
          Resource: fn('echo'),
          Parameters: { static: 'Hello', 'title.$': '$.title', 'name.$': '$customerName', 'not-evaluated': '$customerName' },
          End: true,
        },
      },
    };
    const jsonata = ata({
      Name: { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'Call' },
      Call: {
        QueryLanguage: 'JSONata',
        Type: 'Task',
        Resource: fn('echo'),
        Arguments: { static: 'Hello', title: '{% $states.input.title %}', name: '{% $customerName %}', 'not-evaluated': '$customerName' },
        End: true,
      },
    });
    expect((await run(jsonPath, { title: 'Doctor' })).output).toEqual(expected);
    expect((await run(jsonata, { title: 'Doctor' })).output).toEqual(expected);
  });

  test('"Example: Input and Output": a Succeed state\'s Output', async () => {
    const out = await run(
      {
        Comment: 'Input and Output example using JSONata',
        QueryLanguage: 'JSONata',
        StartAt: 'Basic Input and Output',
        States: {
          'Basic Input and Output': {
            QueryLanguage: 'JSONata',
            Type: 'Succeed',
            Output: { lastName: "{% 'Last=>' & $states.input.customer.lastName %}", orderValue: '{% $states.input.order.total %}' },
          },
        },
      },
      { customer: { firstName: 'Martha', lastName: 'Rivera' }, order: { items: 7, total: 27.91 } },
    );
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: { lastName: 'Last=>Rivera', orderValue: 27.91 } });
  });

  test('"Example: Filtering with JSONata": only the zero-calorie products', async () => {
    const products = [
      { calories: 140, flavour: 'Cola', name: 'Product-1' },
      { calories: 0, flavour: 'Cola', name: 'Product-2' },
      { calories: 160, flavour: 'Orange', name: 'Product-3' },
      { calories: 100, flavour: 'Orange', name: 'Product-4' },
      { calories: 0, flavour: 'Lime', name: 'Product-5' },
    ];
    const out = await run(ata({ FilterDietProducts: { Type: 'Pass', Output: { dietProducts: '{% $states.input.products[calories=0] %}' }, End: true } }), {
      products,
    });
    expect(out.output).toEqual({ dietProducts: [products[1], products[4]] });
  });

  test('"Writing JSONata expressions in JSON strings": TimeoutSeconds, Arguments and an Items array with an expression element', async () => {
    const out = await run(
      ata({
        Set: { Type: 'Pass', Assign: { timeout: 30, name: 'kestrel', two: 2 }, Next: 'Call' },
        Call: { Type: 'Task', Resource: fn('echo'), TimeoutSeconds: '{% $timeout %}', Arguments: { field1: '{% $name %}' }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: [1, '{% $two %}', 3],
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          Output: { called: '{% $states.input %}', items: '{% $states.result %}' },
          End: true,
        },
      }),
    );
    expect(out.output).toEqual({ called: { field1: 'kestrel' }, items: [1, 2, 3] });
  });

  test('"Writing JSONata expressions": an expression opened or closed improperly is a validation error', async () => {
    expect(await refused(ata({ A: { Type: 'Pass', Output: { v: ' {% 1 %}' }, End: true } }))).toMatch(
      /SCHEMA_VALIDATION_FAILED: .* at \/States\/A\/Output\/v'$/,
    );
    expect(await refused(ata({ A: { Type: 'Pass', Output: '{% 1 %} ', End: true } }))).toMatch(/SCHEMA_VALIDATION_FAILED: .* at \/States\/A\/Output'$/);
  });

  test('"Arguments and Output Fields": Output takes any JSON value', async () => {
    expect((await run(ata({ A: { Type: 'Pass', Output: true, End: true } }))).output).toBe(true);
    expect((await run(ata({ A: { Type: 'Pass', Output: 42, End: true } }))).output).toBe(42);
  });

  test('"QueryLanguage field": a JSONPath machine adopts JSONata one state at a time', async () => {
    const out = await run(
      {
        StartAt: 'Old',
        States: {
          Old: { Type: 'Pass', Parameters: { 'total.$': '$.order.total' }, Next: 'New' },
          New: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.total * 2 %}', End: true },
        },
      },
      { order: { total: 21 } },
    );
    expect(out.output).toBe(42);
  });

  describe('"Handling expression errors": each fails the state with States.QueryEvaluationError', () => {
    const failsWith = async (definition: object, input: unknown = {}) => {
      const out = await run(definition, input);
      expect(out).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
      return out.cause!;
    };
    test('type error: $x + $y when $x is not a number; a Task can Retry and then Catch it', async () => {
      expect(await failsWith(ata({ Set: { Type: 'Pass', Assign: { x: 'three', y: 4 }, Next: 'Sum' }, Sum: show('{% $x + $y %}') }))).toContain('T2001');
      const caught = await run(
        ata({
          Set: { Type: 'Pass', Assign: { x: 'three', y: 4 }, Next: 'Sum' },
          Sum: {
            Type: 'Task',
            Resource: fn('echo'),
            Arguments: { sum: '{% $x + $y %}' },
            Retry: [{ ErrorEquals: ['States.QueryEvaluationError'], IntervalSeconds: 1, MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Output: '{% $states.errorOutput.Error %}', Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        }),
      );
      expect(caught.output).toBe('States.QueryEvaluationError');
    });
    test('type incompatibility: TimeoutSeconds from an expression that returns a string', async () => {
      await failsWith(
        ata({
          Set: { Type: 'Pass', Assign: { timeout: 'ten' }, Next: 'Call' },
          Call: { Type: 'Task', Resource: fn('echo'), TimeoutSeconds: '{% $timeout %}', End: true },
        }),
      );
    });
    test('value out of range: TimeoutSeconds from an expression that returns a negative number', async () => {
      await failsWith(
        ata({
          Set: { Type: 'Pass', Assign: { timeout: -5 }, Next: 'Call' },
          Call: { Type: 'Task', Resource: fn('echo'), TimeoutSeconds: '{% $timeout %}', End: true },
        }),
      );
    });
    test('failure to return a result: $data.thisFieldDoesNotExist', async () => {
      const cause = await failsWith(ata({ Set: { Type: 'Pass', Assign: { data: {} }, Next: 'Read' }, Read: show({ v: '{% $data.thisFieldDoesNotExist %}' }) }));
      expect(cause).toBe(
        "An error occurred while executing the state 'Read' (entered at the event id #4). The JSONata expression '$data.thisFieldDoesNotExist' specified for the field 'Output/v' returned nothing (undefined).",
      );
    });
  });

  test('"Reserved variable: $states": reading $states.result or $states.errorOutput where they do not exist is refused at creation', async () => {
    expect(await refused(ata({ A: { Type: 'Pass', Output: '{% $states.result %}', End: true } }))).toMatch(/'\$states.result'.* at \/States\/A\/Output'$/);
    expect(await refused(ata({ A: { Type: 'Task', Resource: fn('echo'), Arguments: { r: '{% $states.result %}' }, End: true } }))).toMatch(
      / at \/States\/A\/Arguments\/r'$/,
    );
    expect(await refused(ata({ A: { Type: 'Task', Resource: fn('echo'), Output: '{% $states.errorOutput %}', End: true } }))).toMatch(
      /'\$states.errorOutput'.* at \/States\/A\/Output'$/,
    );
    const allowed = ata({
      A: {
        Type: 'Task',
        Resource: fn('echo'),
        Arguments: { n: 1 },
        Output: '{% $states.result.n %}',
        Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput %}', Next: 'B' }],
        End: true,
      },
      B: { Type: 'Pass', End: true },
    });
    expect((await run(allowed)).output).toBe(1);
  });

  test('"JSONata functions provided by Step Functions": $partition, $range, $hash, $random, $uuid, $parse', async () => {
    const out = await run(
      ata({
        Set: { Type: 'Pass', Assign: { hashAlgorithmName: 'SHA-256' }, Next: 'Functions' },
        Functions: {
          Type: 'Pass',
          Assign: {
            arrayPartition: '{% $partition([1,2,3,4], $states.input.chunkSize) %}',
            roundedDown: '{% $partition([1,2,3,4], 2.9) %}',
            arrayRange: '{% $range(0, 10, 2) %}',
            countdown: '{% $range(3, 1, -1) %}',
            myHash: '{% $hash($states.input.content, $hashAlgorithmName) %}',
            randNoSeed: '{% $random() %}',
            randSeeded: '{% $random($states.input.seed) %}',
            randSeededAgain: '{% $random($states.input.seed) %}',
            uniqueId: '{% $uuid() %}',
            deserializedPayload: '{% $parse($states.input.json_string) %}',
          },
          Next: 'Show',
        },
        Show: show({
          arrayPartition: '{% $arrayPartition %}',
          roundedDown: '{% $roundedDown %}',
          arrayRange: '{% $arrayRange %}',
          countdown: '{% $countdown %}',
          myHash: '{% $myHash %}',
          randNoSeed: '{% $randNoSeed >= 0 and $randNoSeed < 1 %}',
          sameSeedSameNumber: '{% $randSeeded = $randSeededAgain %}',
          uniqueId: '{% $uniqueId %}',
          deserializedPayload: '{% $deserializedPayload %}',
        }),
      }),
      { chunkSize: 3, content: 'input data', seed: 42, json_string: '{"order":{"id":"KC-1","lines":[1,2]}}' },
    );
    expect(out.output).toEqual({
      arrayPartition: [[1, 2, 3], [4]],
      roundedDown: [
        [1, 2],
        [3, 4],
      ],
      arrayRange: [0, 2, 4, 6, 8, 10],
      countdown: [3, 2, 1],
      myHash: createHash('sha256').update('input data').digest('hex'),
      randNoSeed: true,
      sameSeedSameNumber: true,
      uniqueId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      deserializedPayload: { order: { id: 'KC-1', lines: [1, 2] } },
    });
  });

  test('"Supported JSONata version": $eval is not supported; calling it fails the state', async () => {
    const out = await run(ata({ E: show({ r: '{% $eval($states.input.code) %}' }) }), { code: '1 + 1' });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(out.cause).toContain('threw an error during evaluation. T1006: Attempted to invoke a non-function');
  });
});

describe(`${WV}`, () => {
  test('"Conceptual overview": Assign productName, count and available; read them as $name later', async () => {
    const out = await run(
      ata({
        Store: { Type: 'Pass', Assign: { productName: 'product1', count: 42, available: true }, Next: 'Step2' },
        Step2: { Type: 'Pass', Output: 'unrelated', Next: 'Step3' },
        Step3: show({ productName: '{% $productName %}', count: '{% $count %}', available: '{% $available %}', input: '{% $states.input %}' }),
      }),
    );
    expect(out.output).toEqual({ productName: 'product1', count: 42, available: true, input: 'unrelated' });
  });

  test('"Assign field in ASL": Store inputs, then a Task assigns from its input and from $states.result', async () => {
    const out = await run(
      ata({
        'Store inputs': {
          Type: 'Pass',
          Next: 'Get Current Price',
          Assign: { desiredPrice: '{% $states.input.desired_price %}', maximumWait: '{% $states.input.max_days %}' },
        },
        'Get Current Price': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: fn('get-price'), Payload: { product: '{% $states.input.order.product %}' } },
          Assign: { product: '{% $states.input.order.product %}', currentPrice: '{% $states.result.Payload.current_price %}' },
          Next: 'Show',
        },
        Show: show({ desiredPrice: '{% $desiredPrice %}', maximumWait: '{% $maximumWait %}', product: '{% $product %}', currentPrice: '{% $currentPrice %}' }),
      }),
      { desired_price: 15, max_days: 7, order: { product: 'espresso beans' } },
    );
    expect(out.output).toEqual({ desiredPrice: 15, maximumWait: 7, product: 'espresso beans', currentPrice: 17.5 });
  });

  test('"Assign field in ASL": a part of a variable cannot be assigned', async () => {
    expect(await refused(ata({ A: { Type: 'Pass', Assign: { 'x.y': 42 }, End: true } }))).toMatch(/ at \/States\/A\/Assign\/x.y'$/);
    expect(await refused(ata({ A: { Type: 'Pass', Assign: { 'x[2]': 42 }, End: true } }))).toMatch(/ at \/States\/A\/Assign\/x\[2\]'$/);
  });

  test('"Evaluation order in an assign field": starting from $x=3, $a=6 the Assign ends with $x=6, $nextX=3', async () => {
    const out = await run(
      ata({
        Start: { Type: 'Pass', Assign: { x: 3, a: 6 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { x: '{% $a %}', nextX: '{% $x %}' }, Next: 'End' },
        End: show({ x: '{% $x %}', nextX: '{% $nextX %}' }),
      }),
    );
    expect(out.output).toEqual({ x: 6, nextX: 3 });
  });

  test('"Evaluation order": had $x not been assigned, the example fails because $x is undefined', async () => {
    const out = await run(
      ata({ Start: { Type: 'Pass', Assign: { a: 6 }, Next: 'Swap' }, Swap: { Type: 'Pass', Assign: { x: '{% $a %}', nextX: '{% $x %}' }, End: true } }),
    );
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(out.cause).toContain("The JSONata expression '$x' specified for the field 'Assign/nextX' returned nothing (undefined).");
  });

  test('"Variable name syntax": Unicode identifiers up to 80 characters', async () => {
    expect((await run(ata({ A: { Type: 'Pass', Assign: { café: 'crème' }, Next: 'B' }, B: show('{% $café %}') }))).output).toBe('crème');
    await refused(ata({ A: { Type: 'Pass', Assign: { '1st': 1 }, End: true } }));
    await refused(ata({ A: { Type: 'Pass', Assign: { ['v'.repeat(81)]: 1 }, End: true } }));
  });

  test('"Variable scope": iterations read outer variables, their own go out of scope, a Catch assigns in the outer scope', async () => {
    const out = await run(
      ata({
        Setup: { Type: 'Pass', Assign: { rate: 2 }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: '{% $states.input.amounts %}',
          ItemProcessor: {
            StartAt: 'Scale',
            States: {
              Scale: { Type: 'Pass', Assign: { scaled: '{% $states.input * $rate %}' }, Next: 'Check' },
              Check: { Type: 'Choice', Choices: [{ Condition: '{% $scaled > 10 %}', Next: 'TooBig' }], Default: 'Emit' },
              TooBig: { Type: 'Fail', Error: 'Order.TooBig', Cause: '{% $string($scaled) %}' },
              Emit: { Type: 'Pass', Output: '{% $scaled %}', End: true },
            },
          },
          Catch: [{ ErrorEquals: ['Order.TooBig'], Assign: { failedWith: '{% $states.errorOutput.Cause %}' }, Next: 'After' }],
          Next: 'After',
        },
        After: show({ failedWith: '{% $failedWith %}', rate: '{% $rate %}', scaledLeaked: '{% $exists($scaled) %}' }),
      }),
      { amounts: [1, 7] },
    );
    expect(out.output).toEqual({ failedWith: '14', rate: 2, scaledLeaked: false });
  });

  test('"Variable scope": an inner scope cannot assign a variable an outer scope assigns', async () => {
    const message = await refused(
      ata({
        Setup: { Type: 'Pass', Assign: { myVariable: 1 }, Next: 'Both' },
        Both: { Type: 'Parallel', Branches: [{ StartAt: 'L', States: { L: { Type: 'Pass', Assign: { myVariable: 2 }, End: true } } }], End: true },
      }),
    );
    expect(message).toMatch(/'myVariable'.* at \/States\/Both\/Branches\/0\/States\/L\/Assign\/myVariable'$/);
  });

  test('"Limits": X and Y cannot both take 256 KiB in one Assign', async () => {
    const out = await run(ata({ Big: { Type: 'Pass', Assign: { X: "{% $pad('', 140000, 'x') %}", Y: "{% $pad('', 140000, 'y') %}" }, End: true } }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(
      (
        await run(
          ata({
            Half: { Type: 'Pass', Assign: { X: "{% $pad('', 120000, 'x') %}", Y: "{% $pad('', 120000, 'y') %}" }, Next: 'S' },
            S: show('{% $length($X) + $length($Y) %}'),
          }),
        )
      ).output,
    ).toBe(240000);
  });

  test('"Using variables in JSONPath states": a Task assigns from its result with $, from the context with $$, and with an intrinsic', async () => {
    const out = await run(
      {
        StartAt: 'Greet',
        States: {
          Greet: { Type: 'Pass', Assign: { customer: { name: 'Ada' } }, Next: 'Order' },
          Order: {
            Type: 'Task',
            Resource: fn('order'),
            Assign: {
              'products.$': '$.order..product',
              'orderTotal.$': '$.order.total',
              details: { status: 'SUCCESS', 'lineItems.$': '$.order.items' },
              'resultCode.$': '$.result.code',
              'message.$': "States.Format('Hello {}', $customer.name)",
              'startTime.$': '$$.Execution.StartTime',
            },
            Next: 'Show',
          },
          Show: {
            Type: 'Pass',
            Parameters: {
              'products.$': '$products',
              'orderTotal.$': '$orderTotal',
              'details.$': '$details',
              'resultCode.$': '$resultCode',
              'message.$': '$message',
              'startedAsExecution.$': "States.Format('{}', $startTime)",
              'formatted.$': "States.Format('The order number is {}', $resultCode)",
            },
            End: true,
          },
        },
      },
      {},
    );
    expect(out.output).toMatchObject({
      products: ['beans', 'filter'],
      orderTotal: 30,
      details: { status: 'SUCCESS', lineItems: [{ product: 'beans' }, { product: 'filter' }] },
      resultCode: 'OK-7',
      message: 'Hello Ada',
      formatted: 'The order number is OK-7',
    });
    expect((out.output as { startedAsExecution: string }).startedAsExecution).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('"Using variables in JSONPath states": $ in Assign is the result for Pass, the effective input for Choice and Wait', async () => {
    const out = await run(
      {
        StartAt: 'Pass',
        States: {
          Pass: { Type: 'Pass', Result: { from: 'result' }, ResultPath: '$.r', Assign: { 'passSaw.$': '$.from' }, Next: 'Wait' },
          Wait: { Type: 'Wait', Seconds: 0, InputPath: '$.r', Assign: { 'waitSaw.$': '$.from' }, Next: 'Choice' },
          // The Wait's output is its effective input ({"from":"result"}), which the Choice receives.
          Choice: { Type: 'Choice', Choices: [{ Variable: '$.from', StringEquals: 'result', Next: 'Show', Assign: { 'choiceSaw.$': '$' } }] },
          Show: { Type: 'Pass', Parameters: { 'passSaw.$': '$passSaw', 'waitSaw.$': '$waitSaw', 'choiceSaw.$': '$choiceSaw' }, End: true },
        },
      },
      { from: 'input' },
    );
    expect(out.output).toEqual({ passSaw: 'result', waitSaw: 'result', choiceSaw: { from: 'result' } });
  });

  test('"Using variables in JSONPath states": variables cannot be used in ResultPath', async () => {
    expect(await refused({ StartAt: 'A', States: { A: { Type: 'Pass', ResultPath: '$x', End: true } } })).toMatch(/ at \/States\/A\/ResultPath'$/);
  });
});

describe(`${CO}`, () => {
  test('"Accessing the Context object": $states.context in JSONata, $$ in JSONPath', async () => {
    const out = await run({
      StartAt: 'Ata',
      States: {
        Ata: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { ExecutionID: '{% $states.context.Execution.Id %}' }, Next: 'Path' },
        Path: { Type: 'Pass', Parameters: { 'ExecutionID.$': '$$.Execution.Id', 'fromJsonata.$': '$.ExecutionID' }, End: true },
      },
    });
    expect(out.output).toEqual({ ExecutionID: out.executionArn, fromJsonata: out.executionArn });
  });

  test('"Context object data for Map states": Index, Value and Source (STATE_DATA for the state input) in ItemSelector', async () => {
    const out = await run(
      ata({
        ExampleMapState: {
          Type: 'Map',
          ItemSelector: {
            ContextIndex: '{% $states.context.Map.Item.Index %}',
            ContextValue: '{% $states.context.Map.Item.Value %}',
            ContextSource: '{% $states.context.Map.Item.Source %}',
          },
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'TestPass', States: { TestPass: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      [{ who: 'bob' }, { who: 'meg' }],
    );
    expect(out.output).toEqual([
      { ContextIndex: 0, ContextValue: { who: 'bob' }, ContextSource: 'STATE_DATA' },
      { ContextIndex: 1, ContextValue: { who: 'meg' }, ContextSource: 'STATE_DATA' },
    ]);
  });
});

describe(`${CH}`, () => {
  test('"Choice Rules (JSONata)": the four documented Conditions, in order, with Default', async () => {
    // The page's rules read the variables $foo, $type and $possiblyNullValue; a Pass in front assigns them from the input.
    const def = ata({
      Seed: {
        Type: 'Pass',
        Assign: { foo: '{% $states.input.foo %}', type: '{% $states.input.type %}', possiblyNullValue: '{% $states.input.possiblyNullValue %}' },
        Next: 'Route',
      },
      Route: {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $foo = 1 %}', Next: 'NumericMatchState' },
          { Condition: "{% $type = 'local' %}", Next: 'StringMatchState' },
          { Condition: "{% $foo > 'MyStringABC' %}", Next: 'StringGreaterMatchState' },
          { Condition: '{% $possiblyNullValue != null and $possiblyNullValue = 42 %}', Next: 'NotNullAnd42' },
        ],
        Default: 'NoMatch',
      },
      NumericMatchState: show('NumericMatchState'),
      StringMatchState: show('StringMatchState'),
      StringGreaterMatchState: show('StringGreaterMatchState'),
      NotNullAnd42: show('NotNullAnd42'),
      NoMatch: show('NoMatch'),
    });
    const route = async (foo: unknown, type: string, possiblyNullValue: unknown) => (await run(def, { foo, type, possiblyNullValue })).output;
    expect(await route(1, 'remote', null)).toBe('NumericMatchState');
    expect(await route('A', 'local', null)).toBe('StringMatchState');
    expect(await route('MyStringXYZ', 'remote', null)).toBe('StringGreaterMatchState');
    expect(await route('A', 'remote', 42)).toBe('NotNullAnd42');
    expect(await route('A', 'remote', null)).toBe('NoMatch');
  });
});

describe(`${IS}`, () => {
  test('ItemSelector overrides each item: a static size and $$.Map.Item.Value (and the JSONata twin)', async () => {
    const images = [
      { resize: 'true', format: 'jpg' },
      { resize: 'false', format: 'png' },
      { resize: 'true', format: 'jpg' },
    ];
    const processor = { StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } };
    const jsonPath = await run(
      { StartAt: 'M', States: { M: { Type: 'Map', ItemSelector: { size: 10, 'value.$': '$$.Map.Item.Value' }, ItemProcessor: processor, End: true } } },
      images,
    );
    expect((jsonPath.output as unknown[])[0]).toEqual({ size: 10, value: { resize: 'true', format: 'jpg' } });
    const jsonata = await run(
      ata({ M: { Type: 'Map', ItemSelector: { size: 10, value: '{% $states.context.Map.Item.Value %}' }, ItemProcessor: processor, End: true } }),
      images,
    );
    expect(jsonata.output).toEqual(jsonPath.output);
  });
});

describe(`${SPEC} (Choice State)`, () => {
  // The spec's DispatchEvent, with a Pass in front that assigns $value from the input and sets $range, and each
  // target state showing where it went, what $range holds and the input it received.
  const target = (name: string) => show({ at: name, range: '{% $range %}', input: '{% $states.input %}' });
  const dispatch = ata({
    Seed: { Type: 'Pass', Assign: { value: '{% $states.input.value %}', range: 'unset' }, Next: 'DispatchEvent' },
    DispatchEvent: {
      Type: 'Choice',
      QueryLanguage: 'JSONata',
      Choices: [
        { Condition: "{% $states.input.type != 'Private' %}", Next: 'Public' },
        { Condition: "{% $exists($value) and $type($value)='number' and $value>=20 and $value<30 %}", Assign: { range: 'twenties' }, Next: 'ValueInTwenties' },
        {
          Condition: '{% $states.input.rating >= $states.input.auditThreshold %}',
          Output: { excess: '{% $states.input.rating - $states.input.auditThreshold %}' },
          Next: 'StartAudit',
        },
      ],
      Default: 'RecordEvent',
      Assign: { range: 'default' },
    },
    Public: target('Public'),
    ValueInTwenties: target('ValueInTwenties'),
    StartAudit: target('StartAudit'),
    RecordEvent: target('RecordEvent'),
  });

  test('JSONata Choice Rules: each documented outcome of DispatchEvent', async () => {
    const privateIn = (value: number, rating = 0, auditThreshold = 100) => ({ type: 'Private', value, rating, auditThreshold });
    expect((await run(dispatch, { type: 'Public', value: 1, rating: 0, auditThreshold: 1 })).output).toMatchObject({ at: 'Public', range: 'unset' });
    expect((await run(dispatch, privateIn(23))).output).toEqual({ at: 'ValueInTwenties', range: 'twenties', input: privateIn(23) });
    expect((await run(dispatch, privateIn(5, 90, 60))).output).toEqual({ at: 'StartAudit', range: 'unset', input: { excess: 30 } });
    expect((await run(dispatch, privateIn(5))).output).toEqual({ at: 'RecordEvent', range: 'default', input: privateIn(5) });
  });

  test('JSONPath Choice Rules: the equivalent DispatchEvent assigns "twenties" for {"type":"Private","value":22}', async () => {
    const out = await run(
      {
        StartAt: 'DispatchEvent',
        States: {
          DispatchEvent: {
            Type: 'Choice',
            Choices: [
              { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
              {
                And: [
                  { Variable: '$.value', IsPresent: true },
                  { Variable: '$.value', IsNumeric: true },
                  { Variable: '$.value', NumericGreaterThanEquals: 20 },
                  { Variable: '$.value', NumericLessThan: 30 },
                ],
                Assign: { range: 'twenties' },
                Next: 'ValueInTwenties',
              },
              { Variable: '$.rating', NumericGreaterThanPath: '$.auditThreshold', Next: 'StartAudit' },
            ],
            Default: 'RecordEvent',
            Assign: { range: 'default' },
          },
          Public: { Type: 'Pass', Result: 'Public', End: true },
          ValueInTwenties: { Type: 'Pass', Parameters: { at: 'ValueInTwenties', 'range.$': '$range' }, End: true },
          StartAudit: { Type: 'Pass', Result: 'StartAudit', End: true },
          RecordEvent: { Type: 'Pass', Result: 'RecordEvent', End: true },
        },
      },
      { type: 'Private', value: 22 },
    );
    expect(out.output).toEqual({ at: 'ValueInTwenties', range: 'twenties' });
  });
});

describe(`${SPEC} (Map State)`, () => {
  const input = {
    'ship-date': '2016-03-14T01:59:00Z',
    detail: {
      'delivery-partner': 'UQS',
      shipped: [
        { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
        { prod: 'S39', 'dest-code': 9511, quantity: 40 },
        { prod: 'R31', 'dest-code': 9833, quantity: 12 },
        { prod: 'R40', 'dest-code': 9860, quantity: 887 },
        { prod: 'R40', 'dest-code': 9511, quantity: 1220 },
      ],
    },
  };

  test('JSONata Map State: Items, ItemSelector with the courier, Assign of the result and Output of the count', async () => {
    // The spec writes the courier as `$states.input.delivery-partner`; in JSONata a hyphenated field name needs
    // backquotes, and the field sits under `detail`, so the case reads `$states.input.detail.`delivery-partner``.
    const out = await run(
      ata({
        'Validate-All': {
          Type: 'Map',
          QueryLanguage: 'JSONata',
          Items: '{% $states.input.detail.shipped %}',
          MaxConcurrency: 0,
          ItemSelector: { parcel: '{% $states.context.Map.Item.Value %}', courier: '{% $states.input.detail.`delivery-partner` %}' },
          ItemProcessor: { StartAt: 'Validate', States: { Validate: { Type: 'Task', Resource: fn('ship-val'), End: true } } },
          Assign: { shipped: '{% $states.result %}' },
          Output: { numItemsProcessed: '{% $count($states.input.detail.shipped) %}' },
          Next: 'Show',
        },
        Show: show({ output: '{% $states.input %}', firstIteration: '{% $shipped[0] %}' }),
      }),
      input,
    );
    expect(out.output).toEqual({
      output: { numItemsProcessed: 5 },
      firstIteration: { parcel: { prod: 'R31', 'dest-code': 9511, quantity: 1344 }, courier: 'UQS' },
    });
  });

  test('JSONPath Map State: ItemSelector with $$.Map.Item.Value and the courier, results written over detail.shipped', async () => {
    const out = await run(
      {
        StartAt: 'Validate-All',
        States: {
          'Validate-All': {
            Type: 'Map',
            InputPath: '$.detail',
            ItemsPath: '$.shipped',
            MaxConcurrency: 0,
            ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'courier.$': '$.delivery-partner' },
            ItemProcessor: { StartAt: 'Validate', States: { Validate: { Type: 'Task', Resource: fn('ship-val'), End: true } } },
            ResultPath: '$.detail.shipped',
            End: true,
          },
        },
      },
      input,
    );
    expect(out.output).toEqual({ ...input, detail: { ...input.detail, shipped: input.detail.shipped.map((parcel) => ({ parcel, courier: 'UQS' })) } });
  });
});
