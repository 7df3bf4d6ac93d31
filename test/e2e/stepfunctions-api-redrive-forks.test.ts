/**
 * RedriveExecution of Map and Parallel states through @aws-sdk/client-sfn.
 *
 * AWS (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html):
 * "For workflows that include an Inline Map or Parallel state, RedriveExecution API action
 * reschedules and redrives only the iterations and branches that failed or aborted", and
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html) the results
 * and history of the successful steps are preserved and those steps are not rerun.
 * A redriven state is the one with no `<stateType>Exited` event for its `<stateType>Entered`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html): after
 * ExecutionRedriven it is entered again, and only its unsuccessful iterations start again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { FunctionRegistry } from '../../local/functions';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const ROLE = 'arn:aws:iam::123456789012:role/x';
let runtime: LocalRuntime;
let sfn: SFNClient;
let dataDir: string;
/** Invocations of `flaky` per item id: the first attempt at an odd id fails, every later one succeeds. */
const attempts = new Map<string, number>();
/** Tokens handed to `park`, by item id. */
const parked = new Map<number, string>();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-sfn-redrive-forks-'));
  const functions = new FunctionRegistry();
  functions.register('flaky', async (event) => {
    const { id, run } = event as { id: number; run: string };
    const key = `${run}:${id}`;
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (id % 2 === 1 && n === 1) {
      const error = new Error(`item ${id} not ready`);
      error.name = 'Item.NotReady';
      throw error;
    }
    return { id, doubled: id * 2 };
  });
  functions.register('park', async (event) => {
    const { id, token } = event as { id: number; token: string };
    parked.set(id, token);
    return null;
  });
  runtime = await startLocalRuntime({ port: 0, dataDir, functions });
  sfn = createAwsClients({ endpoint: runtime.url }).sfn();
});

afterAll(async () => {
  sfn?.destroy();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function settled(executionArn: string) {
  for (let i = 0; i < 1000; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('still running');
}

async function history(executionArn: string) {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
}

function invocations(run: string): number {
  let total = 0;
  for (const [key, n] of attempts) if (key.startsWith(`${run}:`)) total += n;
  return total;
}

async function machine(name: string, definition: object): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }));
  return out.stateMachineArn!;
}

test('a failed Map reruns only its failed iterations; the succeeded ones keep their results', async () => {
  const stateMachineArn = await machine('redrive-map', {
    StartAt: 'Items',
    States: {
      Items: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'id.$': '$$.Map.Item.Value', 'run.$': '$.run' },
        // Every iteration runs on the first attempt; the third failure fails the Map.
        ToleratedFailureCount: 2,
        ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: fn('flaky'), End: true } } },
        ResultSelector: { 'all.$': '$' },
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true },
    },
  });
  const items = [0, 1, 2, 3, 4, 5];
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ run: 'map', items }) }));
  const failed = await settled(executionArn!);
  expect(failed).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold', redriveStatus: 'REDRIVABLE' });
  expect(invocations('map')).toBe(6);
  const before = await history(executionArn!);

  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  const done = await settled(executionArn!);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  // Only the three iterations that failed ran again: 6 invocations, then 3.
  expect(invocations('map')).toBe(9);
  for (const id of items) expect(attempts.get(`map:${id}`)).toBe(id % 2 === 1 ? 2 : 1);
  expect(JSON.parse(done.output!)).toEqual({ all: items.map((id) => ({ id, doubled: id * 2 })) });

  const after = await history(executionArn!);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));
  const redrive = after.slice(before.length);
  const types = redrive.map((e) => e.type);
  expect(types.slice(0, 3)).toEqual(['ExecutionRedriven', 'MapStateEntered', 'MapStateStarted']);
  expect(redrive[0].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  expect(redrive.filter((e) => e.type === 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails!.index)).toEqual([1, 3, 5]);
  expect(
    redrive
      .filter((e) => e.type === 'MapIterationSucceeded')
      .map((e) => e.mapIterationSucceededEventDetails!.index)
      .sort(),
  ).toEqual([1, 3, 5]);
  expect(types.filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(3);
  expect(types.slice(-5)).toEqual(['MapStateSucceeded', 'MapStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
});

test('a failed Parallel reruns only the failed branch, from the state it failed in', async () => {
  const stateMachineArn = await machine('redrive-parallel', {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Even', States: { Even: { Type: 'Task', Resource: fn('flaky'), Parameters: { id: 2, 'run.$': '$.run' }, End: true } } },
          {
            StartAt: 'Prepare',
            States: {
              Prepare: { Type: 'Task', Resource: fn('flaky'), Parameters: { id: 4, 'run.$': '$.run' }, ResultPath: '$.prepared', Next: 'Odd' },
              Odd: { Type: 'Task', Resource: fn('flaky'), Parameters: { id: 7, 'run.$': '$.run' }, End: true },
            },
          },
        ],
        End: true,
      },
    },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ run: 'parallel' }) }));
  expect(await settled(executionArn!)).toMatchObject({ status: 'FAILED', error: 'Item.NotReady' });
  expect(invocations('parallel')).toBe(3);

  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  const done = await settled(executionArn!);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  // The first branch and the second branch's first state succeeded before: only `Odd` ran again.
  expect([attempts.get('parallel:2'), attempts.get('parallel:4'), attempts.get('parallel:7')]).toEqual([1, 1, 2]);
  expect(JSON.parse(done.output!)).toEqual([
    { id: 2, doubled: 4 },
    { id: 7, doubled: 14 },
  ]);
  const types = (await history(executionArn!)).map((e) => e.type);
  const redrive = types.slice(types.indexOf('ExecutionRedriven'));
  expect(redrive.slice(0, 4)).toEqual(['ExecutionRedriven', 'ParallelStateEntered', 'ParallelStateStarted', 'TaskStateEntered']);
  expect(redrive.filter((t) => t === 'TaskStateEntered')).toHaveLength(1);
  expect(redrive.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
});

test('an aborted Map reruns the iterations that had not finished, from the state each was stopped in', async () => {
  const stateMachineArn = await machine('redrive-map-aborted', {
    StartAt: 'Outer',
    States: {
      Outer: {
        Type: 'Map',
        ItemsPath: '$.groups',
        ItemSelector: { 'group.$': '$$.Map.Item.Value', 'run.$': '$.run' },
        ItemProcessor: {
          StartAt: 'Gate',
          States: {
            // Group 0 finishes at once; group 1 parks on a task token until the execution is stopped.
            Gate: { Type: 'Choice', Choices: [{ Variable: '$.group.park', BooleanEquals: true, Next: 'Park' }], Default: 'Inner' },
            Park: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: fn('park'), Payload: { 'id.$': '$.group.id', 'token.$': '$$.Task.Token' } },
              ResultPath: null,
              Next: 'Inner',
            },
            Inner: {
              Type: 'Map',
              ItemsPath: '$.group.ids',
              ItemSelector: { 'id.$': '$$.Map.Item.Value', 'run.$': '$.run' },
              ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: fn('flaky'), End: true } } },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  });
  const groups = [
    { id: 0, park: false, ids: [0, 2] },
    { id: 1, park: true, ids: [4, 6] },
  ];
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ run: 'nested', groups }) }));
  for (let i = 0; i < 500 && !parked.has(1); i++) await new Promise((r) => setTimeout(r, 10));
  expect(parked.has(1)).toBe(true);
  // Group 0's inner Map has finished (its two iterations ran once each) while group 1 waits.
  for (let i = 0; i < 500 && invocations('nested') < 2; i++) await new Promise((r) => setTimeout(r, 10));
  await sfn.send(new StopExecutionCommand({ executionArn }));
  expect((await settled(executionArn!)).status).toBe('ABORTED');

  // Group 1 continues from the task it was aborted in: it parks again, and this time is answered.
  parked.delete(1);
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  for (let i = 0; i < 500 && !parked.has(1); i++) await new Promise((r) => setTimeout(r, 10));
  await sfn.send(new SendTaskSuccessCommand({ taskToken: parked.get(1), output: '{}' }));
  const done = await settled(executionArn!);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  expect(JSON.parse(done.output!)).toEqual([
    [
      { id: 0, doubled: 0 },
      { id: 2, doubled: 4 },
    ],
    [
      { id: 4, doubled: 8 },
      { id: 6, doubled: 12 },
    ],
  ]);
  // Group 0 did not run again.
  expect([0, 2, 4, 6].map((id) => attempts.get(`nested:${id}`))).toEqual([1, 1, 1, 1]);
  const types = (await history(executionArn!)).map((e) => e.type);
  const redrive = types.slice(types.indexOf('ExecutionRedriven'));
  // Group 1's iteration of Outer, then the two iterations of its Inner Map.
  expect(redrive.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
  expect(redrive.slice(0, 5)).toEqual(['ExecutionRedriven', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'TaskStateEntered']);
});

test('a Map inside a failed Map iteration reruns only its own failed iterations', async () => {
  const stateMachineArn = await machine('redrive-map-nested', {
    StartAt: 'Outer',
    States: {
      Outer: {
        Type: 'Map',
        ItemsPath: '$.groups',
        ItemSelector: { 'ids.$': '$$.Map.Item.Value', 'run.$': '$.run' },
        ItemProcessor: {
          StartAt: 'Inner',
          States: {
            Inner: {
              Type: 'Map',
              ItemsPath: '$.ids',
              ItemSelector: { 'id.$': '$$.Map.Item.Value', 'run.$': '$.run' },
              ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: fn('flaky'), End: true } } },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  });
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      input: JSON.stringify({
        run: 'inner',
        groups: [
          [0, 2],
          [4, 5],
        ],
      }),
    }),
  );
  expect(await settled(executionArn!)).toMatchObject({ status: 'FAILED', error: 'Item.NotReady' });
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  const done = await settled(executionArn!);
  expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  expect([0, 2, 4, 5].map((id) => attempts.get(`inner:${id}`))).toEqual([1, 1, 1, 2]);
  expect(JSON.parse(done.output!)).toEqual([
    [
      { id: 0, doubled: 0 },
      { id: 2, doubled: 4 },
    ],
    [
      { id: 4, doubled: 8 },
      { id: 5, doubled: 10 },
    ],
  ]);
  const redrive = (await history(executionArn!)).filter((e, i, all) => i >= all.findIndex((x) => x.type === 'ExecutionRedriven'));
  // Outer's iteration 1 (group [4, 5]), then Inner's iteration 1 (item 5): nothing else starts again.
  expect(redrive.filter((e) => e.type === 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails!.index)).toEqual([1, 1]);
  expect(redrive.filter((e) => e.type === 'MapStateEntered')).toHaveLength(2);
});
