/**
 * The local runtime delivers at its start what its bus acknowledged and had
 * not delivered when it stopped: an event put on the bus by a process that
 * died before it reached its target state machine starts an execution when
 * the runtime starts again on the same data folder. The state machine and
 * rule are the test's own, so the test holds whatever os/ defines.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { EventBridgeService, EventBridgeStore } from '../../local/eventbridge';
import { createAwsClients } from '../../shared/aws/clients';
import { until as poll } from '../support/until';

const until = <T>(probe: () => Promise<T | undefined>, ms = 60_000) => poll(probe, ms, 150);

jest.setTimeout(120_000);

const savedEnv = { ...process.env };
let rt: AiosRuntime | undefined;

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

test('an event acknowledged by a process that died before delivering it starts its execution at the next start', async () => {
  delete process.env.AIOS_OS_MODULE;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-eb-resume-'));
  rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  let aws = createAwsClients({ endpoint: rt.url }, {});
  const machine = await aws.sfn().send(
    new CreateStateMachineCommand({
      name: 'resume-probe',
      roleArn: 'arn:aws:iam::000000000000:role/resume-probe',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
    }),
  );
  const stateMachineArn = machine.stateMachineArn!;
  await aws.eventBridge().send(new PutRuleCommand({ Name: 'resume-probe', EventPattern: JSON.stringify({ source: ['resume-probe'] }) }));
  await aws.eventBridge().send(new PutTargetsCommand({ Rule: 'resume-probe', Targets: [{ Id: 'sfn', Arn: stateMachineArn }] }));
  await rt.close();
  rt = undefined;

  // An event acknowledged by a bus whose targets never answer, then the process is gone.
  const store = new EventBridgeStore(dataDir);
  const hanging = () => new Promise<never>(() => {});
  const bus = new EventBridgeService({ store, targets: { startExecution: hanging, invokeFunction: hanging } });
  const put = (await bus.handle('PutEvents', { Entries: [{ Source: 'resume-probe', DetailType: 'probe', Detail: '{"n":1}' }] })) as {
    FailedEntryCount: number;
    Entries: Array<{ EventId: string }>;
  };
  expect(put.FailedEntryCount).toBe(0);
  store.close();

  rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  aws = createAwsClients({ endpoint: rt.url }, {});
  const [execution] = await until(async () => {
    const list = (await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
    return list.length > 0 ? list : undefined;
  });
  const input = JSON.parse((await aws.sfn().send(new DescribeExecutionCommand({ executionArn: execution.executionArn }))).input!) as Record<string, unknown>;
  expect(input).toMatchObject({ id: put.Entries[0].EventId, source: 'resume-probe', detail: { n: 1 } });
});
