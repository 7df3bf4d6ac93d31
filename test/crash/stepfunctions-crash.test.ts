/**
 * Crash test: many executions in flight (Lambda tasks, Wait timers, a Map,
 * a Parallel and task tokens), the server process killed with SIGKILL several
 * times at random moments and restarted on the same data directory. Every
 * execution must end exactly once with the right output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
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

jest.setTimeout(90_000);

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

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let dataDir: string;
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('executions survive repeated SIGKILL and finish exactly once', async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-crash-'));
  const tokensFile = path.join(dataDir, 'tokens.jsonl');
  const port = await freePort();
  const root = path.join(__dirname, '..', '..');
  const env = {
    ...process.env,
    AIOS_PORT: String(port),
    AIOS_DATA_DIR: path.join(dataDir, 'data'),
    AIOS_FUNCTIONS: path.join(__dirname, 'functions.ts'),
    CRASH_TOKENS_FILE: tokensFile,
  };

  const startServer = async (): Promise<void> => {
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'server.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY')) resolve();
      });
      proc.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
      proc.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    });
  };
  const kill = async (): Promise<void> => {
    const proc = child!;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };

  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await startServer();
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
    while (!stopResponder) {
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
    await kill();
    await startServer();
  }
  answerBelow = EXECUTIONS;

  const statuses = new Map<string, { status?: string; output?: string }>();
  const deadline = Date.now() + 45_000;
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
  await kill();
});
