/**
 * Crash test: many executions in flight (Lambda tasks, Wait timers, a Map,
 * a Parallel and task tokens), the server process killed with SIGKILL several
 * times at random moments and restarted on the same data directory. Every
 * execution must end exactly once with the right output.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { freePort, RuntimeProcess } from './runtime-process';

// Limits that only catch a hang: a runtime start takes about a second on an idle machine and ten at load 16 on two
// cores, and this test starts one several times (90 s ran out there).
jest.setTimeout(300_000);
const SETTLE_MS = 120_000;

const EXECUTIONS = 60;
const KILLS = 5;
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const DEFINITION = {
  StartAt: 'Double',
  States: {
    Double: { Type: 'Task', Resource: fn('work'), Parameters: { 'v.$': '$.n' }, ResultPath: '$.a', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 2, Next: 'EachItem' },
    EachItem: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 2,
      ItemSelector: { 'v.$': '$$.Map.Item.Value' },
      ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Task', Resource: fn('work'), End: true } } },
      ResultPath: '$.m',
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Approve',
          States: {
            Approve: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'handOut', Payload: { 'token.$': '$$.Task.Token', 'exec.$': '$$.Execution.Name' } },
              TimeoutSeconds: 300,
              End: true,
            },
          },
        },
        { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 1, Next: 'Napped' }, Napped: { Type: 'Pass', Result: 'waited', End: true } } },
      ],
      ResultPath: '$.p',
      End: true,
    },
  },
};

function expectedOutput(n: number, name: string): unknown {
  return { n, items: [n, n + 1, n + 2], a: { v: 2 * n }, m: [{ v: 2 * n }, { v: 2 * n + 2 }, { v: 2 * n + 4 }], p: [{ approved: name }, 'waited'] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dataDir: string;
let server: RuntimeProcess | undefined;

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('executions survive repeated SIGKILL and finish exactly once', async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-crash-'));
  const tokensFile = path.join(dataDir, 'tokens.jsonl');
  const port = await freePort();
  const runtime = new RuntimeProcess({
    AIOS_PORT: String(port),
    AIOS_DATA_DIR: path.join(dataDir, 'data'),
    AIOS_FUNCTIONS: path.join(__dirname, 'functions.ts'),
    CRASH_TOKENS_FILE: tokensFile,
  });
  server = runtime;

  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await runtime.start();
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name: 'crashy', definition: JSON.stringify(DEFINITION), roleArn: 'arn:aws:iam::123456789012:role/x' }),
  );
  const arns: string[] = [];
  const startExecution = async (i: number): Promise<void> => {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}`, input: JSON.stringify({ n: i, items: [i, i + 1, i + 2] }) }));
    arns.push(out.executionArn!);
  };

  // Executions start in waves, one before each kill, and a wave's approvals are answered only once the next wave is
  // started: so every kill lands on executions in flight however slow the machine is. Started all at once, they ran out
  // their Wait timers on the wall clock while a loaded machine took a second or more per restart, and were all done
  // before the third kill.
  const perWave = EXECUTIONS / KILLS;
  let answerBelow = 0;

  // Answers each released token once it appears (re-deliveries after a crash repeat a token: answered again, harmlessly).
  const answered = new Set<string>();
  let stopResponder = false;
  const responder = (async () => {
    while (!stopResponder && !runtime.isClosed) {
      const lines = existsSync(tokensFile) ? readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean) : [];
      for (const line of lines) {
        const { token, exec } = JSON.parse(line) as { token: string; exec: string };
        if (answered.has(token) || Number(exec.slice('run-'.length)) >= answerBelow) continue;
        try {
          await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: exec }) }));
          answered.add(token);
        } catch (error) {
          const name = (error as Error).name;
          if (name === 'TaskDoesNotExist') answered.add(token);
          // Otherwise the server is down: try again on the next pass.
        }
      }
      await sleep(50);
    }
  })();

  const runningAtKill: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    for (let i = k * perWave; i < (k + 1) * perWave; i++) await startExecution(i);
    answerBelow = k * perWave;
    await sleep(100 + Math.random() * 700);
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000 }));
    runningAtKill.push(running.executions!.length);
    await runtime.kill();
    await runtime.start();
  }
  answerBelow = EXECUTIONS;

  const statuses = new Map<string, { status?: string; output?: string }>();
  const deadline = Date.now() + SETTLE_MS;
  while (statuses.size < EXECUTIONS && Date.now() < deadline) {
    for (const arn of arns) {
      if (statuses.has(arn)) continue;
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      if (d.status !== 'RUNNING') statuses.set(arn, d);
    }
    await sleep(100);
  }
  stopResponder = true;
  await responder;

  // The kills must have hit executions in flight, or this test proves nothing.
  expect(runningAtKill.filter((n) => n > 0)).toHaveLength(KILLS);
  expect(statuses.size).toBe(EXECUTIONS);
  for (const [i, arn] of arns.entries()) {
    const d = statuses.get(arn)!;
    expect({ arn, status: d.status }).toEqual({ arn, status: 'SUCCEEDED' });
    expect(JSON.parse(d.output!)).toEqual(expectedOutput(i, `run-${i}`));
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }));
      events.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    const closing = events.filter((e) => ['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut'].includes(e.type!));
    expect(closing.map((e) => e.type)).toEqual(['ExecutionSucceeded']);
    expect(events[events.length - 1].type).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, j) => j + 1));
  }
  sfn.destroy();
  await runtime.close();
});
