/**
 * Issue 18, defect 1: a run stopped while a tool call was in flight resumes
 * with that tool call, because every function is registered before any
 * execution resumes; and a Task whose function nobody registered fails its
 * run with States.Runtime instead of reading as a failed tool call.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { createAwsClients } from '../../shared/aws/clients';
import { toolFunctionName } from '../../shared/definition/tool';
import { until as poll } from '../support/until';

const until = <T>(probe: () => Promise<T | undefined>, ms = 20_000) => poll(probe, ms, 50);

jest.setTimeout(60_000);

const root = path.join(__dirname, '../..');
const savedEnv = { ...process.env };
let rt: AiosRuntime | undefined;

beforeAll(() => {
  process.env.AIOS_OS_MODULE = path.join(root, 'test/fixtures/definitions/refund-step-os.ts');
});

afterEach(async () => {
  await rt?.close();
  rt = undefined;
});

afterAll(() => {
  process.env = savedEnv;
});

test('a tool call in flight when the runtime stopped runs after the restart, and the run succeeds with it', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-restart-'));
  rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  // The first life stops mid-call: the refund handler never answers.
  let called = 0;
  rt.functions.register(toolFunctionName('refunds.issue'), () => {
    called++;
    return new Promise(() => undefined);
  });
  const sfn = createAwsClients({ endpoint: rt.url }, {}).sfn();
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: rt.installed.stateMachines['refund-now'], input: JSON.stringify({ orderId: 'KC-10482' }) }),
  );
  await until(async () => (called > 0 ? true : undefined));
  const port = rt.port;
  await rt.close();

  // The same port, as a restarted process would have (the environment still names it).
  rt = await startAiosRuntime({ port, dataDir, schedules: false });
  const aws = createAwsClients({ endpoint: rt.url }, {});
  const done = await until(async () => {
    const d = await aws.sfn().send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  });
  const history = await aws.sfn().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  const failures = history.events!.flatMap((e) => [e.lambdaFunctionFailedEventDetails, e.taskFailedEventDetails].filter(Boolean));
  expect(failures).toEqual([]);

  expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
  const calls = ((await (await fetch(`${rt.url}/business/calls`)).json()) as { calls: { path: string; body: { orderId?: string } }[] }).calls;
  expect(calls.filter((c) => c.path === '/refunds').map((c) => c.body.orderId)).toEqual(['KC-10482']);
});

test('a Task whose function is not registered fails the run with States.Runtime, past any Catch', async () => {
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-missing-fn-')), schedules: false });
  const sfn = createAwsClients({ endpoint: rt.url }, {}).sfn();
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: 'missing-function',
      roleArn: 'arn:aws:iam::123456789012:role/test',
      definition: JSON.stringify({
        StartAt: 'Run tool',
        States: {
          'Run tool': {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:aios-tool-nobody',
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Tool failed' }],
            End: true,
          },
          'Tool failed': { Type: 'Pass', End: true },
        },
      }),
    }),
  );
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{}' }));
  const done = await until(async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  });
  expect(done.status).toBe('FAILED');
  expect(done.error).toBe('States.Runtime');
  expect(done.cause).toMatch(/aios-tool-nobody/);
});
