/**
 * The durable engine in process: Lambda integration shapes, the context
 * object, timeouts, Map concurrency, stopping, restart, and function loading.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunctionRegistry, registerFunctionModule, type LocalLambdaContext } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import { toHistoryEvent } from '../../../local/stepfunctions/history';
import { untilTrue as until } from '../../support/until';
import { oneParkedTask, parkedTask, parkingFunctions } from '../../support/parked-tasks';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const dirs: string[] = [];
const opened: LocalStepFunctions[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aios-engine-'));
  dirs.push(dir);
  return dir;
}

function open(functions: FunctionRegistry, dataDir = ':memory:'): LocalStepFunctions {
  const sfn = openStepFunctions({ dataDir, functions });
  opened.push(sfn);
  return sfn;
}

afterEach(() => {
  for (const sfn of opened.splice(0)) sfn.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function run(sfn: LocalStepFunctions, definition: object, input: unknown = {}, name?: string) {
  const machineName = `m${Math.random().toString(36).slice(2, 10)}`;
  const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: machineName, definition: JSON.stringify(definition) })) as {
    stateMachineArn: string;
  };
  const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: JSON.stringify(input), name });
  return { stateMachineArn, executionArn, done: sfn.engine.waitForExecution(executionArn) };
}

function history(sfn: LocalStepFunctions, executionArn: string) {
  const row = sfn.store.getExecution(executionArn)!;
  return sfn.store.history(row.id, 0, 10_000, false).map(toHistoryEvent);
}

test('lambda:invoke wraps the result as Lambda returns it; the handler gets a Lambda-like context', async () => {
  const seen: LocalLambdaContext[] = [];
  const functions = new FunctionRegistry();
  functions.register('f', async (event, context) => {
    seen.push(context);
    return { got: event };
  });
  const sfn = open(functions);
  const { done } = await run(sfn, {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST', Payload: { a: 1 } },
        End: true,
      },
    },
  });
  const row = await done;
  const out = JSON.parse(row.output!);
  expect(out).toMatchObject({ ExecutedVersion: '$LATEST', Payload: { got: { a: 1 } }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } });
  expect(out.SdkResponseMetadata.RequestId).toBe(seen[0].awsRequestId);
  expect(seen[0]).toMatchObject({ functionName: 'f', invokedFunctionArn: fn('f') });
  expect(seen[0].getRemainingTimeInMillis()).toBeGreaterThan(0);
  expect(seen[0].aiosTask).toMatchObject({ executionArn: row.arn, stateName: 'T', retryCount: 0 });
  expect(seen[0].aiosTask!.idempotencyKey).toBe(`${row.arn}#T#${seen[0].aiosTask!.stateEnteredTime}#0`);
});

test('each item of a Map, and each branch inside it, has its own idempotency key: they enter their states in one millisecond', async () => {
  const keys = new Map<string, string>();
  const functions = new FunctionRegistry();
  functions.register('f', async (event, context) => {
    const { item, branch } = event as { item: number; branch: string };
    keys.set(`${item}/${branch}`, context.aiosTask!.idempotencyKey);
    return null;
  });
  const sfn = open(functions);
  const task = (branch: string) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('f'), Parameters: { 'item.$': '$', branch }, End: true } } });
  const { done } = await run(
    sfn,
    {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [task('a'), task('b')], End: true } } }, End: true },
      },
    },
    [10, 11, 12],
  );
  const row = await done;
  expect(row.status).toBe('SUCCEEDED');
  expect(keys.size).toBe(6);
  expect(new Set(keys.values()).size).toBe(6);
  expect(keys.get('12/b')).toMatch(new RegExp(`^${row.arn}#T#[^#]+#0#2\\.1$`));
});

test('the context object carries execution, state, machine and retry count', async () => {
  let calls = 0;
  const functions = new FunctionRegistry();
  functions.register('ctx', async (event) => {
    if (calls++ === 0) throw Object.assign(new Error('first try fails'), { name: 'Again' });
    return event;
  });
  const sfn = open(functions);
  const { executionArn, stateMachineArn, done } = await run(
    sfn,
    {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('ctx'),
          Parameters: {
            'exec.$': '$$.Execution.Id',
            'name.$': '$$.Execution.Name',
            'input.$': '$$.Execution.Input',
            'start.$': '$$.Execution.StartTime',
            'state.$': '$$.State.Name',
            'entered.$': '$$.State.EnteredTime',
            'retry.$': '$$.State.RetryCount',
            'sm.$': '$$.StateMachine.Id',
          },
          Retry: [{ ErrorEquals: ['Again'], IntervalSeconds: 1 }],
          End: true,
        },
      },
    },
    { x: 1 },
    'ctx-run',
  );
  const out = JSON.parse((await done).output!);
  expect(out).toMatchObject({ exec: executionArn, name: 'ctx-run', input: { x: 1 }, state: 'T', retry: 1, sm: stateMachineArn });
  expect(Date.parse(out.entered)).toBeGreaterThanOrEqual(Date.parse(out.start));
  expect(history(sfn, executionArn).filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(2);
});

test('a task token task without heartbeats fails with States.HeartbeatTimeout; TimeoutSecondsPath sets the deadline', async () => {
  const functions = new FunctionRegistry();
  functions.register('park', async () => null);
  const sfn = open(functions);
  const wait = (extra: object) => ({
    StartAt: 'T',
    States: {
      T: {
        ...parkedTask(),
        End: true,
        ...extra,
      },
    },
  });
  const hb = await run(sfn, wait({ HeartbeatSeconds: 1, TimeoutSeconds: 30 }));
  const to = await run(sfn, wait({ TimeoutSecondsPath: '$.deadline' }), { deadline: 1 });
  expect(await hb.done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  expect(await to.done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  expect(history(sfn, to.executionArn).map((e) => e.type)).toContain('TaskTimedOut');
});

test('Map respects MaxConcurrency and keeps item order', async () => {
  let active = 0;
  let peak = 0;
  const functions = new FunctionRegistry();
  functions.register('slow', async (n) => {
    peak = Math.max(peak, ++active);
    await new Promise((r) => setTimeout(r, 10));
    active--;
    return (n as number) * 10;
  });
  const sfn = open(functions);
  const { done } = await run(
    sfn,
    {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'S', States: { S: { Type: 'Task', Resource: fn('slow'), End: true } } }, End: true },
      },
    },
    [1, 2, 3, 4, 5, 6],
  );
  expect(JSON.parse((await done).output!)).toEqual([10, 20, 30, 40, 50, 60]);
  expect(peak).toBe(2);
});

test('every caller waiting for a running execution is answered when it closes, however many wait', async () => {
  const { functions, tokens } = parkingFunctions();
  const sfn = open(functions);
  const { executionArn, done } = await run(sfn, oneParkedTask());
  const more = [sfn.engine.waitForExecution(executionArn), sfn.engine.waitForExecution(executionArn)];
  await until(() => tokens.length === 1);
  await sfn.engine.sendTaskSuccess(tokens[0], '{"ok":true}');
  for (const row of await Promise.all([done, ...more])) expect(row).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
});

test('executions closed in one batch each answer their own callers with their own row', async () => {
  const { functions, tokens } = parkingFunctions();
  const sfn = open(functions);
  const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: 'closes', definition: JSON.stringify(oneParkedTask()) })) as {
    stateMachineArn: string;
  };
  const arns = (await Promise.all([0, 1, 2, 3, 4].map(() => sfn.engine.startExecution({ stateMachineArn })))).map((s) => s.executionArn);
  const waits = arns.map((arn) => sfn.engine.waitForExecution(arn));
  const second = sfn.engine.waitForExecution(arns[2]);
  await until(() => tokens.length === 5);
  // Answered in one tick: their closes are one batch.
  await Promise.all(
    tokens.map((token, i) => (i === 3 ? sfn.engine.sendTaskFailure(token, 'No', 'not this one') : sfn.engine.sendTaskSuccess(token, JSON.stringify({ i })))),
  );
  const rows = await Promise.all(waits);
  expect(rows.map((row) => row.arn)).toEqual(arns);
  const byArn = new Map(rows.map((row) => [row.arn, row]));
  expect(new Set(byArn.keys())).toEqual(new Set(arns));
  const outputs = rows.filter((row) => row.status === 'SUCCEEDED').map((row) => JSON.parse(row.output!).i as number);
  expect(outputs.sort()).toEqual([0, 1, 2, 4]);
  expect(rows.filter((row) => row.status === 'FAILED')).toEqual([expect.objectContaining({ error: 'No', cause: 'not this one', output: null })]);
  expect(await second).toBe(byArn.get(arns[2]));
  // Closed: answered from memory, the row the batch wrote.
  for (const arn of arns) expect(await sfn.engine.waitForExecution(arn)).toEqual(expect.objectContaining({ ...sfn.store.getExecution(arn), def_hash: '' }));
});

test('retries count per retrier across attempts of a state', async () => {
  const thrown = ['A', 'B', 'A'];
  const functions = new FunctionRegistry();
  functions.register('flaky', async () => {
    throw Object.assign(new Error('fails'), { name: thrown.shift() ?? 'A' });
  });
  const sfn = open(functions);
  const { executionArn, done } = await run(sfn, {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: fn('flaky'),
        Retry: [
          { ErrorEquals: ['A'], IntervalSeconds: 1, MaxAttempts: 1 },
          { ErrorEquals: ['B'], IntervalSeconds: 1, MaxAttempts: 1 },
        ],
        End: true,
      },
    },
  });
  expect(await done).toMatchObject({ status: 'FAILED', error: 'A' });
  // A, retried by the first retrier; B by the second; A again: the first has no attempt left.
  expect(history(sfn, executionArn).filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(3);
});

test("a Map's iteration events name the state and the item's index, the same in every run of it", async () => {
  const functions = new FunctionRegistry();
  functions.register('inc', async (n) => (n as number) + 1);
  const sfn = open(functions);
  const definition = {
    StartAt: 'M',
    States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'S', States: { S: { Type: 'Task', Resource: fn('inc'), End: true } } }, End: true } },
  };
  for (const items of [
    [5, 6, 7],
    [1, 2, 3, 4],
  ]) {
    const { executionArn, done } = await run(sfn, definition, items);
    expect(JSON.parse((await done).output!)).toEqual(items.map((n) => n + 1));
    const events = history(sfn, executionArn);
    for (const type of ['MapIterationStarted', 'MapIterationSucceeded'])
      expect(
        events.filter((e) => e.type === type).map((e) => (e as unknown as Record<string, unknown>)[`${type[0].toLowerCase()}${type.slice(1)}EventDetails`]),
      ).toEqual(items.map((_, index) => ({ name: 'M', index })));
  }
});

test('StopExecution aborts a waiting execution and invalidates its token', async () => {
  const { functions, tokens } = parkingFunctions();
  const sfn = open(functions);
  const { executionArn, done } = await run(sfn, oneParkedTask());
  await until(() => tokens.length === 1);
  await sfn.engine.stopExecution(executionArn, 'Stopped.ByTest', 'enough');
  expect(await done).toMatchObject({ status: 'ABORTED', error: 'Stopped.ByTest' });
  expect(() => sfn.engine.sendTaskSuccess(tokens[0], '{}')).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
  expect(history(sfn, executionArn).pop()?.type).toBe('ExecutionAborted');
});

test('a Map whose iterations wait on tokens resumes after the engine is reopened on the same file', async () => {
  const dir = tempDir();
  const { functions, tokens } = parkingFunctions();
  let sfn = open(functions, dir);
  const { executionArn } = await run(
    sfn,
    {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemSelector: { 'v.$': '$$.Map.Item.Value' },
          ItemProcessor: {
            StartAt: 'W',
            States: {
              W: {
                ...parkedTask(),
                ResultPath: '$.ok',
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    ['a', 'b', 'c'],
  );
  await until(() => tokens.length === 3);
  await sfn.engine.sendTaskSuccess(tokens[0], '"yes-0"');
  opened.splice(opened.indexOf(sfn), 1);
  sfn.close();
  sfn = open(functions, dir);
  expect(sfn.engine.runningCount).toBe(1);
  // Already-submitted token tasks are not invoked again; their tokens stay valid.
  expect(tokens).toHaveLength(3);
  await sfn.engine.sendTaskSuccess(tokens[1], '"yes-1"');
  await sfn.engine.sendTaskSuccess(tokens[2], '"yes-2"');
  const row = await sfn.engine.waitForExecution(executionArn);
  expect(JSON.parse(row.output!)).toEqual([
    { v: 'a', ok: 'yes-0' },
    { v: 'b', ok: 'yes-1' },
    { v: 'c', ok: 'yes-2' },
  ]);
  const types = history(sfn, executionArn).map((e) => e.type);
  expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
  expect(types.filter((t) => t === 'ExecutionSucceeded')).toHaveLength(1);
});

test('AIOS_FUNCTIONS modules: CommonJS and ESM exports become functions; unknown names fail as Lambda does', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'fns.cjs'), 'module.exports = { echo: async (e) => e, notAFunction: 1 };');
  writeFileSync(path.join(dir, 'fns.mjs'), 'export async function shout(e) { return String(e.text).toUpperCase(); }');
  const functions = new FunctionRegistry();
  expect(await registerFunctionModule(functions, path.join(dir, 'fns.cjs'))).toEqual(['echo']);
  // ESM goes through Node's own loader, which jest's module sandbox replaces: check it in a real node process.
  const script = `const { FunctionRegistry, registerFunctionModule } = require(${JSON.stringify(path.join(__dirname, '../../../local/functions'))});
    (async () => { const r = new FunctionRegistry(); const names = await registerFunctionModule(r, ${JSON.stringify(path.join(dir, 'fns.mjs'))});
      process.stdout.write(JSON.stringify({ names, out: await r.invoke('shout', { text: 'hi' }, { requestId: 'r' }) })); })();`;
  const esm = JSON.parse(execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8' }));
  expect(esm).toEqual({ names: ['shout'], out: { ok: true, payload: 'HI' } });
  await expect(registerFunctionModule(functions, path.join(dir, 'missing.js'))).rejects.toMatchObject({ code: 'Functions.ModuleInvalid' });
  expect(await functions.invoke('nobody', {}, { requestId: 'r' })).toMatchObject({ ok: false, failure: { error: 'Lambda.ResourceNotFoundException' } });
  const thrown = await functions.invoke('echo', 1n as never, { requestId: 'r' });
  expect(thrown.ok).toBe(false);
});

test('a batch that fails to commit is rolled back: callers get the error and the engine reloads from the last commit', async () => {
  const { functions, tokens } = parkingFunctions();
  const sfn = open(functions, tempDir());
  const def = {
    StartAt: 'T',
    States: {
      T: {
        ...parkedTask(),
        Next: 'D',
      },
      D: { Type: 'Pass', Result: 'done', End: true },
    },
  };
  const { executionArn, done } = await run(sfn, def);
  await until(() => tokens.length === 1);
  const store = sfn.store as unknown as { insertChunk: (...args: unknown[]) => void };
  const real = store.insertChunk.bind(store);
  store.insertChunk = () => {
    store.insertChunk = real;
    throw new Error('disk full');
  };
  await expect(sfn.engine.sendTaskSuccess(tokens[0], '"first"')).rejects.toThrow('disk full');
  // Reloaded from the database: the task still waits on the same token, which is still valid.
  expect(sfn.engine.runningCount).toBe(1);
  await sfn.engine.sendTaskSuccess(tokens[0], '"second"');
  expect(await done).toMatchObject({ status: 'SUCCEEDED', output: '"done"' });
  expect(history(sfn, executionArn).filter((e) => e.type === 'TaskSucceeded')).toHaveLength(1);
});
