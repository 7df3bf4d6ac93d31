/**
 * Issue 4's end-to-end proof: `npm start` as a child process on a free port
 * with a temporary data folder; a sample event put through the real
 * EventBridge SDK client starts the support-desk workflow, followed through
 * the Step Functions SDK client to its end; every emulated API answers the
 * real SDK clients, errors included; Ctrl-C stops cleanly and a restart keeps
 * everything.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BedrockRuntimeServiceException, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvalidEventPatternException, PutEventsCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, ExecutionDoesNotExist, ListExecutionsCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';

jest.setTimeout(180_000);

const sample = JSON.parse(readFileSync(path.join(__dirname, '../../events/samples/bus/zendesk.ticket-created.json'), 'utf8')) as {
  source: string;
  'detail-type': string;
  detail: unknown;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const withoutIds = (text: string) => text.replace(new RegExp(UUID.source, 'g'), '<id>');

/** The README's console sample of `npx aios <command> …`: the arguments it shows, and what it says the command prints. */
function readmeSample(command: string): { args: string[]; output: string } {
  const lines = readFileSync(path.join(__dirname, '../../README.md'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith(`$ npx aios ${command} `));
  expect(at).toBeGreaterThan(-1);
  const end = lines.findIndex((l, i) => i > at && (l.startsWith('$ ') || l.startsWith('```')));
  const args = lines[at]
    .slice('$ npx aios '.length)
    .replace(/\s+#.*$/, '')
    .trim()
    .split(/\s+/);
  return {
    args,
    output: lines
      .slice(at + 1, end)
      .map((l) => `${l}\n`)
      .join(''),
  };
}

async function waitForEnd(sfn: SFNClient, stateMachineArn: string): Promise<{ executionArn: string; status: string; output?: string }> {
  for (let i = 0; i < 300; i++) {
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const e = list.executions?.[0];
    if (e && e.status !== 'RUNNING') {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
      return { executionArn: e.executionArn!, status: d.status!, ...(d.output ? { output: d.output } : {}) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the workflow did not end');
}

describe('npm start: the whole AI OS on one port', () => {
  let rt: RuntimeProcess;
  afterAll(async () => {
    await rt?.kill().catch(() => undefined);
  });

  test('an event on the bus runs the support desk to its end, and a restart keeps it', async () => {
    rt = await startRuntimeProcess();
    expect(rt.output()).toContain(`AWS_ENDPOINT_URL=${rt.url}`);
    expect(rt.output()).toMatch(/model:\s+replay/);
    const aws = createAwsClients({ endpoint: rt.url }, {});

    const machines = await aws.sfn().send(new ListStateMachinesCommand({}));
    const supportDesk = machines.stateMachines!.find((m) => m.name === 'support-desk')!.stateMachineArn!;

    const put = await aws.eventBridge().send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'aios', Source: sample.source, DetailType: sample['detail-type'], Detail: JSON.stringify(sample.detail) }],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);

    const run = await waitForEnd(aws.sfn(), supportDesk);
    expect(run.status).toBe('SUCCEEDED');
    expect(JSON.parse(run.output!)).toMatchObject({ triage: { category: 'shipping', replied: true, refundUsd: 39 } });

    const calls = ((await (await fetch(`${rt.url}/business/calls`)).json()) as { calls: { path: string }[] }).calls;
    expect(calls.map((c) => c.path)).toEqual(['/refunds', '/tickets/4821/replies']);

    // DynamoDB, SES v2, Bedrock, Step Functions and EventBridge errors through the real SDK clients.
    const tables = await aws.dynamoDb().send(new ListTablesCommand({}));
    expect(tables.TableNames).toEqual(expect.arrayContaining(['aios-knowledge', 'aios-state', 'aios-audit']));
    await aws.sesV2().send(
      new SendEmailCommand({
        FromEmailAddress: 'ops@kestrel.coffee',
        Destination: { ToAddresses: ['sam@kestrel.coffee'] },
        Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Body' } } } },
      }),
    );
    expect(readdirSync(path.join(rt.dataDir, 'outbox')).some((f) => f.endsWith('.eml'))).toBe(true);
    const unrecorded = aws
      .bedrockRuntime()
      .send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'a question nobody recorded' }] }] }));
    await expect(unrecorded).rejects.toBeInstanceOf(BedrockRuntimeServiceException);
    await expect(unrecorded).rejects.toThrow(/hash/i);
    await expect(
      aws.sfn().send(new DescribeExecutionCommand({ executionArn: supportDesk.replace(':stateMachine:', ':execution:') + ':nope' })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      aws.eventBridge().send(new PutRuleCommand({ Name: 'bad', EventBusName: 'aios', EventPattern: '{"source":"not-an-array"}' })),
    ).rejects.toBeInstanceOf(InvalidEventPatternException);

    // The commands the start banner suggests.
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [path.join(__dirname, '../../bin/aios.js'), ...args], {
        cwd: path.join(__dirname, '../..'),
        env: { ...process.env, AIOS_PORT: String(rt.port) },
        encoding: 'utf8',
        timeout: 60_000,
      });
    // The README's console sample of the archive is what these commands print, but for the ids each run draws afresh.
    const send = readmeSample('send-event');
    expect(send.args).toEqual(['send-event', 'events/samples/bus/stripe.charge.dispute.created.json']);
    const sent = cli(send.args);
    expect(sent.status).toBe(0);
    expect(withoutIds(sent.stdout)).toBe(withoutIds(send.output));
    const [eventId] = UUID.exec(sent.stdout)!;
    const list = readmeSample('events list');
    const archived = cli(list.args);
    expect([archived.status, withoutIds(archived.stdout)]).toEqual([0, withoutIds(list.output)]);
    expect(archived.stdout).toContain(eventId);
    const replay = readmeSample('events replay');
    const replayed = cli(replay.args.map((a) => a.replace(UUID, eventId)));
    expect([replayed.status, withoutIds(replayed.stdout)]).toEqual([0, withoutIds(replay.output)]);
    const listed = cli(['runs']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(run.executionArn.split(':').pop()!);
    expect(listed.stdout).toMatch(/support-desk/);
    const shown = cli(['runs', 'show', run.executionArn.split(':').pop()!]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/Triage: think/);
    expect(shown.stdout).toMatch(/SUCCEEDED/);

    // Ctrl-C stops cleanly; a restart on the same data keeps the run and the state machines.
    await rt.stop();
    expect(rt.output()).toContain('stopping');
    rt = await startRuntimeProcess({ dataDir: rt.dataDir, port: rt.port });
    const again = await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: supportDesk }));
    expect(again.executions!.map((e) => e.executionArn)).toContain(run.executionArn);
    expect(again.executions!.find((e) => e.executionArn === run.executionArn)?.status).toBe('SUCCEEDED');
    await rt.stop();
  });
});
