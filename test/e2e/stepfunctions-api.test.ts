/**
 * Drives the running local runtime through @aws-sdk/client-sfn over HTTP:
 * the API shapes, the exception classes and the engine behind them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { FunctionRegistry } from '../../local/functions';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';

const ROLE = 'arn:aws:iam::123456789012:role/test';

let runtime: LocalRuntime;
let sfn: SFNClient;
let dataDir: string;
const tokens: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-sfn-e2e-'));
  const functions = new FunctionRegistry();
  functions.register('double', async (event) => ({ value: (event as { value: number }).value * 2 }));
  functions.register('boom', async () => {
    const error = new Error('it broke');
    error.name = 'Refund.Failed';
    throw error;
  });
  functions.register('hold', async (event) => {
    tokens.push((event as { token: string }).token);
    return { accepted: true };
  });
  runtime = await startLocalRuntime({ port: 0, dataDir, functions });
  sfn = createAwsClients({ endpoint: runtime.url }).sfn();
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function createMachine(name: string, definition: object): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }));
  return out.stateMachineArn!;
}

async function waitDone(executionArn: string, timeoutMs = 10_000): Promise<{ status?: ExecutionStatus; output?: string; error?: string; cause?: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > until) throw new Error(`execution ${executionArn} still RUNNING`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function nextToken(count: number): Promise<string> {
  for (let i = 0; i < 200 && tokens.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return tokens[count - 1];
}

test('creates, describes, lists, updates and deletes state machines', async () => {
  const def = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
  const arn = await createMachine('crud', def);
  expect(arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:crud');
  // Same definition again: idempotent.
  expect(await createMachine('crud', def)).toBe(arn);
  const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  expect(d).toMatchObject({ name: 'crud', status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE });
  expect(d.creationDate).toBeInstanceOf(Date);
  const listed = await sfn.send(new ListStateMachinesCommand({}));
  expect(listed.stateMachines?.map((m) => m.name)).toContain('crud');
  const upd = await sfn.send(
    new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } }) }),
  );
  expect(upd.updateDate).toBeInstanceOf(Date);
  expect(JSON.parse((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition!).StartAt).toBe('B');
  await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
  await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
});

test('rejects invalid definitions with InvalidDefinition naming the problem', async () => {
  await expect(createMachine('bad', { StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } })).rejects.toBeInstanceOf(InvalidDefinition);
  const jsonata = createMachine('jsonata', {
    QueryLanguage: 'JSONata',
    StartAt: 'A',
    States: { A: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } },
  });
  await expect(jsonata).rejects.toBeInstanceOf(InvalidDefinition);
  await expect(jsonata).rejects.toThrow(/INVALID_JSONATA_EXPRESSION: .* at \/States\/A\/Output/);
  const v = await sfn.send(
    new ValidateStateMachineDefinitionCommand({
      definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } } }),
    }),
  );
  expect(v.result).toBe('FAIL');
  expect(v.diagnostics?.[0]).toMatchObject({ severity: 'ERROR', code: 'UNSUPPORTED_FEATURE' });
  const ok = await sfn.send(
    new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }) }),
  );
  expect(ok.result).toBe('OK');
});

test('runs a Lambda task through lambda:invoke and returns the output', async () => {
  const arn = await createMachine('invoke', {
    StartAt: 'Double',
    States: {
      Double: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'double', 'Payload.$': '$' },
        ResultSelector: { 'value.$': '$.Payload.value', 'code.$': '$.StatusCode' },
        End: true,
      },
    },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: JSON.stringify({ value: 21 }) }));
  const done = await waitDone(executionArn!);
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!)).toEqual({ value: 42, code: 200 });
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  expect(history.events?.map((e) => e.type)).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'TaskScheduled',
    'TaskStarted',
    'TaskSucceeded',
    'TaskStateExited',
    'ExecutionSucceeded',
  ]);
  expect(history.events?.[1].stateEnteredEventDetails).toMatchObject({ name: 'Double', input: '{"value":21}' });
  // Paging and reverse order.
  const page1 = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true }));
  expect(page1.events?.map((e) => e.id)).toEqual([7, 6, 5]);
  const page2 = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true, nextToken: page1.nextToken }));
  expect(page2.events?.map((e) => e.id)).toEqual([4, 3, 2]);
});

test('StartExecution is idempotent on name and input, ExecutionAlreadyExists otherwise', async () => {
  const arn = await createMachine('idem', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } });
  const a = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"a":1}' }));
  const b = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"a":1}' }));
  expect(b.executionArn).toBe(a.executionArn);
  await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"a":2}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
  const stop = await sfn.send(new StopExecutionCommand({ executionArn: a.executionArn, error: 'Manual', cause: 'test' }));
  expect(stop.stopDate).toBeInstanceOf(Date);
  expect(await waitDone(a.executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'test' });
});

test('lists executions with a status filter and paging', async () => {
  const arn = await createMachine('many', { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
  for (let i = 0; i < 5; i++) await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `e${i}` }));
  for (let i = 0; i < 5; i++) await waitDone(`arn:aws:states:us-east-1:123456789012:execution:many:e${i}`);
  const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 3, statusFilter: 'SUCCEEDED' }));
  expect(page1.executions).toHaveLength(3);
  const page2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 3, statusFilter: 'SUCCEEDED', nextToken: page1.nextToken }));
  expect(page2.executions).toHaveLength(2);
  expect(page2.nextToken).toBeUndefined();
  const names = [...page1.executions!, ...page2.executions!].map((e) => e.name).sort();
  expect(names).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'FAILED' }))).executions).toEqual([]);
});

test('a thrown error becomes the task error as Lambda reports it, and Catch sees it', async () => {
  const arn = await createMachine('errors', {
    StartAt: 'Boom',
    States: {
      Boom: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:boom',
        Catch: [{ ErrorEquals: ['Refund.Failed'], ResultPath: '$.err', Next: 'Missing' }],
        End: true,
      },
      Missing: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:nobody', End: true },
    },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
  const done = await waitDone(executionArn!);
  expect(done.status).toBe('FAILED');
  // A function nobody registered is a broken install: States.Runtime, which no Catch reads as a task's answer.
  expect(done.error).toBe('States.Runtime');
  expect(done.cause).toMatch(/Lambda.ResourceNotFoundException: no function named nobody/);
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  const failed = history.events!.find((e) => e.type === 'LambdaFunctionFailed')!;
  expect(failed.lambdaFunctionFailedEventDetails?.error).toBe('Refund.Failed');
  expect(JSON.parse(failed.lambdaFunctionFailedEventDetails!.cause!)).toMatchObject({ errorMessage: 'it broke', errorType: 'Refund.Failed' });
});

test('.waitForTaskToken hands out a token; SendTaskSuccess/Failure/Heartbeat drive the task', async () => {
  const arn = await createMachine('approve', {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } },
        TimeoutSecondsPath: '$.deadline',
        HeartbeatSeconds: 5,
        ResultPath: '$.decision',
        End: true,
      },
    },
  });
  const before = tokens.length;
  const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"deadline":30}' }));
  const token = await nextToken(before + 1);
  await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
  expect(JSON.parse((await waitDone(ok.executionArn!)).output!)).toEqual({ deadline: 30, decision: { approved: true } });
  await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
  await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);

  const no = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"deadline":30}' }));
  const token2 = await nextToken(before + 2);
  await sfn.send(new SendTaskFailureCommand({ taskToken: token2, error: 'Rejected', cause: 'no' }));
  expect(await waitDone(no.executionArn!)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' });

  const late = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"deadline":1}' }));
  const token3 = await nextToken(before + 3);
  expect(await waitDone(late.executionArn!)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token3, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
});

test('unknown executions and malformed ARNs raise the SDK exception classes', async () => {
  await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nope:nope' }))).rejects.toBeInstanceOf(
    ExecutionDoesNotExist,
  );
  await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toBeInstanceOf(InvalidArn);
  await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope' }))).rejects.toBeInstanceOf(
    StateMachineDoesNotExist,
  );
});

test('a restarted runtime resumes a waiting execution from the same data directory', async () => {
  const arn = await createMachine('resume', {
    StartAt: 'W',
    States: { W: { Type: 'Wait', Seconds: 1, Next: 'D' }, D: { Type: 'Pass', Result: 'done', End: true } },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
  await runtime.close();
  sfn.destroy();
  runtime = await startLocalRuntime({ port: 0, dataDir, functions: runtime.functions });
  sfn = createAwsClients({ endpoint: runtime.url }).sfn();
  expect(await waitDone(executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"done"' });
});
