/**
 * Crash test for JSONata and variables: executions whose Map iterations assign
 * and read variables (their own and the top level's) while the server is
 * SIGKILLed and restarted. Each must finish once, with the variables it
 * assigned before the crash still in place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { freePort, RuntimeProcess } from './runtime-process';

// Limits that only catch a hang: a runtime start takes about a second on an idle machine and ten at load 16 on two
// cores, and this test starts one several times (90 s ran out there).
jest.setTimeout(300_000);
const SETTLE_MS = 120_000;

const EXECUTIONS = 30;
const KILLS = 4;
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const DEFINITION = {
  QueryLanguage: 'JSONata',
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Assign: { base: '{% $states.input.n %}' }, Next: 'Each' },
    Each: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      MaxConcurrency: 2,
      ItemSelector: { v: '{% $states.context.Map.Item.Value %}', i: '{% $states.context.Map.Item.Index %}' },
      ItemProcessor: {
        StartAt: 'Double',
        States: {
          Double: {
            Type: 'Task',
            Resource: fn('work'),
            Arguments: { v: '{% $states.input.v + $base %}' },
            Assign: { doubled: '{% $states.result.v %}' },
            Output: { i: '{% $states.input.i %}' },
            Next: 'Pause',
          },
          Pause: { Type: 'Wait', Seconds: 1, Next: 'Emit' },
          Emit: { Type: 'Pass', Output: { i: '{% $states.input.i %}', doubled: '{% $doubled %}', base: '{% $base %}' }, End: true },
        },
      },
      Assign: { total: '{% $sum($states.result.doubled) %}' },
      Next: 'Finish',
    },
    Finish: { Type: 'Pass', Output: { total: '{% $total %}', base: '{% $base %}', items: '{% $states.input %}' }, End: true },
  },
};

function expectedOutput(n: number): unknown {
  const items = [n, n + 1, n + 2].map((k, i) => ({ i, doubled: 2 * (k + n), base: n }));
  return { total: items.reduce((s, x) => s + x.doubled, 0), base: n, items };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dataDir: string;
let server: RuntimeProcess | undefined;

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('JSONata executions with variables inside a Map survive SIGKILL and finish once with the right variables', async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-crash-jsonata-'));
  const port = await freePort();
  server = new RuntimeProcess({ AIOS_PORT: String(port), AIOS_DATA_DIR: path.join(dataDir, 'data'), AIOS_FUNCTIONS: path.join(__dirname, 'functions.ts') });
  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await server.start();
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name: 'crashy-jsonata', definition: JSON.stringify(DEFINITION), roleArn: 'arn:aws:iam::123456789012:role/x' }),
  );
  const arns: string[] = [];
  const startExecution = async (i: number): Promise<void> => {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}`, input: JSON.stringify({ n: i, items: [i, i + 1, i + 2] }) }));
    arns.push(out.executionArn!);
  };

  // Executions start in waves, one before each kill: a wave needs at least two seconds of Wait timers, longer than the
  // sleep before its kill, so the kill lands on executions in flight however slow the restarts are. Started all at once,
  // their timers ran out on the wall clock while a loaded machine took a second or more per restart, and the later
  // kills found nothing running.
  const perWave = Math.ceil(EXECUTIONS / KILLS);
  const runningAtKill: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    for (let i = k * perWave; i < Math.min((k + 1) * perWave, EXECUTIONS); i++) await startExecution(i);
    await sleep(150 + Math.random() * 600);
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000 }));
    runningAtKill.push(running.executions!.length);
    await server.kill();
    await server.start();
  }

  const statuses = new Map<string, { status?: string; output?: string; error?: string; cause?: string }>();
  const deadline = Date.now() + SETTLE_MS;
  while (statuses.size < EXECUTIONS && Date.now() < deadline) {
    for (const arn of arns) {
      if (statuses.has(arn)) continue;
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      if (d.status !== 'RUNNING') statuses.set(arn, d);
    }
    await sleep(100);
  }

  expect(runningAtKill.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  expect(statuses.size).toBe(EXECUTIONS);
  for (const [i, arn] of arns.entries()) {
    const d = statuses.get(arn)!;
    expect({ arn, status: d.status, error: d.error, cause: d.cause }).toEqual({ arn, status: 'SUCCEEDED', error: undefined, cause: undefined });
    expect(JSON.parse(d.output!)).toEqual(expectedOutput(i));
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }));
      events.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(events.filter((e) => e.type!.startsWith('Execution') && e.type !== 'ExecutionStarted').map((e) => e.type)).toEqual(['ExecutionSucceeded']);
    expect(events.map((e) => e.id)).toEqual(events.map((_, j) => j + 1));
    // The top-level variable is assigned exactly once, however often the process died.
    expect(events.filter((e) => e.stateExitedEventDetails?.assignedVariables?.base !== undefined)).toHaveLength(1);
  }
  sfn.destroy();
  await server.close();
});
