/**
 * RedriveExecution through @aws-sdk/client-sfn, following
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 * and https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { FunctionRegistry } from '../../local/functions';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
let runtime: LocalRuntime;
let sfn: SFNClient;
let dataDir: string;
let healthy = false;
const calls: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-sfn-redrive-'));
  const functions = new FunctionRegistry();
  functions.register('charge', async (event) => {
    calls.push(JSON.stringify(event));
    if (!healthy) {
      const error = new Error('gateway down');
      error.name = 'Gateway.Unavailable';
      throw error;
    }
    return { charged: (event as { amount: number }).amount };
  });
  functions.register('note', async (event) => ({ noted: event }));
  runtime = await startLocalRuntime({ port: 0, dataDir, functions });
  sfn = createAwsClients({ endpoint: runtime.url }).sfn();
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function settled(executionArn: string) {
  for (let i = 0; i < 500; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('still running');
}

test('a failed execution restarts from the state that failed, keeping its ARN, history, variables and redrive count', async () => {
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'redrive-failed',
      roleArn: 'arn:aws:iam::123456789012:role/x',
      definition: JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'Note',
        States: {
          Note: {
            Type: 'Task',
            Resource: fn('note'),
            Arguments: '{% $states.input %}',
            Assign: { order: '{% $states.input.order %}' },
            Output: '{% $states.input %}',
            Next: 'Charge',
          },
          Charge: { Type: 'Task', Resource: fn('charge'), Arguments: { amount: '{% $states.input.amount %}' }, Next: 'Done' },
          Done: {
            Type: 'Pass',
            Output: { order: '{% $order %}', charged: '{% $states.input.charged %}', redriveCount: '{% $states.context.Execution.RedriveCount %}' },
            End: true,
          },
        },
      }),
    }),
  );
  healthy = false;
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: 'order-1', input: JSON.stringify({ order: 'KC-1', amount: 64 }) }),
  );
  const failed = await settled(executionArn!);
  expect(failed).toMatchObject({ status: 'FAILED', error: 'Gateway.Unavailable', redriveCount: 0, redriveStatus: 'REDRIVABLE' });

  healthy = true;
  const redriven = await sfn.send(new RedriveExecutionCommand({ executionArn }));
  expect(redriven.redriveDate).toBeInstanceOf(Date);
  const done = await settled(executionArn!);
  expect(done).toMatchObject({ executionArn, status: 'SUCCEEDED', redriveCount: 1 });
  expect(done.redriveDate).toBeInstanceOf(Date);
  expect(JSON.parse(done.output!)).toEqual({ order: 'KC-1', charged: 64, redriveCount: 1 });
  // The state that succeeded before the failure did not run again.
  expect(calls).toEqual(['{"amount":64}', '{"amount":64}']);

  const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
  const types = history.map((e) => e.type);
  expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
  expect(types.indexOf('ExecutionFailed')).toBeLessThan(types.indexOf('ExecutionRedriven'));
  expect(types.at(-1)).toBe('ExecutionSucceeded');
  expect(history.find((e) => e.type === 'ExecutionRedriven')!.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
  const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
  expect(listed.executions?.[0]).toMatchObject({ executionArn, status: 'SUCCEEDED', redriveCount: 1 });

  // A succeeded execution cannot be redriven.
  await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(ExecutionNotRedrivable);
  expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).redriveStatus).toBe('NOT_REDRIVABLE');
});

test('an aborted execution continues from the state it was stopped in; running and unknown executions are refused', async () => {
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'redrive-aborted',
      roleArn: 'arn:aws:iam::123456789012:role/x',
      definition: JSON.stringify({
        StartAt: 'Hold',
        States: {
          Hold: { Type: 'Wait', SecondsPath: '$.wait', Next: 'End' },
          End: { Type: 'Pass', Parameters: { 'count.$': '$$.Execution.RedriveCount' }, End: true },
        },
      }),
    }),
  );
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wait: 0 }) }));
  await settled(executionArn!);
  const long = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wait: 1 }) }));
  await expect(sfn.send(new RedriveExecutionCommand({ executionArn: long.executionArn }))).rejects.toBeInstanceOf(ExecutionNotRedrivable);
  await sfn.send(new StopExecutionCommand({ executionArn: long.executionArn }));
  expect((await settled(long.executionArn!)).status).toBe('ABORTED');
  await sfn.send(new RedriveExecutionCommand({ executionArn: long.executionArn }));
  const done = await settled(long.executionArn!);
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!)).toEqual({ count: 1 });
  await expect(sfn.send(new RedriveExecutionCommand({ executionArn: `${long.executionArn}-nope` }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
});
