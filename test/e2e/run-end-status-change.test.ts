/**
 * How every run ended, on the local runtime: a run stopped through the Step
 * Functions API (the SDK's StopExecution, as the AWS CLI or console would),
 * one that passed its state machine's TimeoutSeconds, and one that failed
 * where no Catch reaches its end step each get one `run.ended` record, written
 * from the "Execution Status Change" event the engine sends to the default
 * bus as Step Functions does, routed by the planned rule to emit-event. A run
 * that records its own end gets nothing more. `aios audit show` says how the
 * run ended, and exits non-zero when it cannot verify the chain.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeStateMachineCommand, StartExecutionCommand, StopExecutionCommand, UpdateStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { RUN_END_RULE_NAME } from '../../local/install-definition';
import type { AuditRecord } from '../../shared/audit/record';
import { createAwsClients } from '../../shared/aws/clients';
import { auditLog } from '../../shared/composition/tables';
import { loadValidOs } from '../../shared/definition';
import flowStepsOs from '../fixtures/definitions/flow-steps-os';
import { until } from '../support/until';

jest.setTimeout(120_000);

const root = path.join(__dirname, '..', '..');
let rt: AiosRuntime;
let sfn: SFNClient;
let restock: string;

beforeAll(async () => {
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-run-end-')), os: loadValidOs(flowStepsOs), schedules: false });
  sfn = createAwsClients({ endpoint: rt.url }, {}).sfn();
  restock = rt.installed.stateMachines.restock;
});

afterAll(async () => {
  await rt?.close();
});

const runIdOf = (executionArn: string) => executionArn.slice(executionArn.lastIndexOf(':') + 1);
const trail = (runId: string): Promise<AuditRecord[]> => auditLog(rt.environment).records(runId);
const endsOf = (records: AuditRecord[]) => records.filter((r) => r.kind === 'run.ended');

/** The run's `run.ended` records once its end is recorded and every delivery the bus owes has been made. */
async function endedTrail(runId: string): Promise<AuditRecord[]> {
  await until(async () => ((await trail(runId)).some((r) => r.kind === 'run.ended') ? true : undefined));
  await rt.whenEventsDelivered();
  return trail(runId);
}

/** The restock run waits for its roast slot (far off): running until something ends it from outside. */
async function startWaitingRun(name: string): Promise<string> {
  const out = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: restock, name, input: JSON.stringify({ roastAt: '2099-01-01T00:00:00Z', lots: [] }) }),
  );
  await until(async () => ((await trail(runIdOf(out.executionArn!))).some((r) => r.kind === 'run.started') ? true : undefined));
  return out.executionArn!;
}

async function aiosFailedEvents(runId: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(rt.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.LocalListEvents' },
    body: JSON.stringify({ EventBusName: 'aios', Limit: 1000, Source: 'aios' }),
  });
  const events = ((await response.json()) as { Events: { DetailType: string; Event: string }[] }).Events;
  return events
    .filter((e) => e.DetailType === 'aios.run.failed')
    .map((e) => (JSON.parse(e.Event) as { detail: Record<string, unknown> }).detail)
    .filter((d) => d.runId === runId);
}

/** The CLI in its own process (the runtime answers it from this one: a synchronous spawn would block them both). */
function aios(args: string[], dataDir = rt.dataDir): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/aios.js'), ...args], {
    cwd: root,
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('the runtime installs the planned rule on its default bus, for its machines and the ends no workflow step records', async () => {
  const events = createAwsClients({ endpoint: rt.url }, {}).eventBridge();
  const rule = await events.send(new DescribeRuleCommand({ EventBusName: 'default', Name: RUN_END_RULE_NAME }));
  expect(JSON.parse(rule.EventPattern!)).toEqual({
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { stateMachineArn: Object.values(rt.installed.stateMachines), status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
  });
  const targets = await events.send(new ListTargetsByRuleCommand({ EventBusName: 'default', Rule: RUN_END_RULE_NAME }));
  expect(targets.Targets?.map((t) => t.Arn)).toEqual([expect.stringMatching(/:function:aios-emit-event$/)]);
});

test('a run stopped with StopExecution through the SDK: its trail ends with run.ended ABORTED, the error and cause given', async () => {
  const arn = await startWaitingRun('stopped-by-sdk');
  await sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Ops.Cancelled', cause: 'the shipment was sent back' }));
  const records = await endedTrail('stopped-by-sdk');
  expect(endsOf(records)).toHaveLength(1);
  expect(records[records.length - 1]).toMatchObject({
    kind: 'run.ended',
    once: 'run.ended:ABORTED:0',
    data: { status: 'ABORTED', error: 'Ops.Cancelled', cause: 'the shipment was sent back', via: 'status-change' },
  });
  expect((await auditLog(rt.environment).verify('stopped-by-sdk')).ok).toBe(true);
  expect(await aiosFailedEvents('stopped-by-sdk')).toEqual([expect.objectContaining({ workflowId: 'restock', status: 'ABORTED', error: 'Ops.Cancelled' })]);

  const shown = await aios(['audit', 'show', 'stopped-by-sdk']);
  expect(shown.status).toBe(0);
  expect(shown.stdout).toMatch(
    /run\.ended\s+ABORTED: stopped from outside the workflow \(StopExecution\), Ops\.Cancelled — “the shipment was sent back” \(reported by Step Functions\)\n/,
  );
});

test("a run that passes its state machine's TimeoutSeconds: run.ended TIMED_OUT, States.Timeout", async () => {
  const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: restock }));
  await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: restock, definition: JSON.stringify({ ...JSON.parse(definition!), TimeoutSeconds: 2 }) }));
  try {
    await startWaitingRun('timed-out');
    const records = await endedTrail('timed-out');
    expect(endsOf(records)).toEqual([
      expect.objectContaining({
        once: 'run.ended:TIMED_OUT:0',
        data: expect.objectContaining({ status: 'TIMED_OUT', error: 'States.Timeout', via: 'status-change' }),
      }),
    ]);
  } finally {
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: restock, definition }));
  }
});

test('a run that fails where no Catch reaches its end step (States.Runtime: a Map over no list) gets its end from the event', async () => {
  await sfn.send(new StartExecutionCommand({ stateMachineArn: restock, name: 'runtime-error', input: JSON.stringify({ lots: 'not a list' }) }));
  const records = await endedTrail('runtime-error');
  expect(endsOf(records)).toEqual([
    expect.objectContaining({ once: 'run.ended:FAILED:0', data: expect.objectContaining({ status: 'FAILED', error: 'States.Runtime', via: 'status-change' }) }),
  ]);
  expect(records.map((r) => r.kind)).toEqual(['run.started', 'run.ended']);
});

test('a run that records its own end (succeeded) gets nothing more: one run.ended, its own', async () => {
  await sfn.send(new StartExecutionCommand({ stateMachineArn: restock, name: 'succeeded', input: JSON.stringify({ lots: [{ lot: 'L-1' }] }) }));
  const records = await endedTrail('succeeded');
  expect(endsOf(records).map((r) => [r.once, r.data])).toEqual([['run.ended:SUCCEEDED', { status: 'SUCCEEDED' }]]);
});

test('show and verify exit non-zero, saying so, when the chain cannot be verified because the audit key cannot be read', async () => {
  const noKey = mkdtempSync(path.join(tmpdir(), 'aios-no-key-'));
  const shown = await aios(['audit', 'show', 'stopped-by-sdk'], noKey);
  // The records are still shown (the table is readable), then why they were not verified.
  expect(shown.stdout).toContain('run.ended');
  expect(shown.status).toBe(1);
  expect(shown.stderr).toMatch(/^error Audit\.NotVerified: the audit trail of run stopped-by-sdk was not verified: .+/m);
  const verified = await aios(['audit', 'verify', 'stopped-by-sdk'], noKey);
  expect(verified.status).toBe(1);
  expect(verified.stderr).toMatch(/^error Audit\.NotVerified: the audit trail of run stopped-by-sdk was not verified: .+/m);
});
