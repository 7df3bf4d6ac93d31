/**
 * `aios smoke` and `aios doctor` against `npm start`, as an operator runs
 * them after a deploy: names from the runtime's outputs, a signed webhook, the
 * run followed, its approval decided through the CLI, the tool ran once, the
 * audit chain verified.
 */
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';

jest.setTimeout(240_000);

const cli = path.join(__dirname, '../../bin/aios.js');
let rt: RuntimeProcess;

beforeAll(async () => {
  rt = await startRuntimeProcess();
});

afterAll(async () => {
  await rt?.stop().catch(() => undefined);
});

const aios = (...args: string[]) =>
  promisify(execFile)(process.execPath, [cli, ...args], {
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: rt.dataDir, AWS_ENDPOINT_URL: '' },
    encoding: 'utf8',
    timeout: 200_000,
  });

test('aios smoke passes against npm start', async () => {
  const { stdout } = await aios('smoke');
  expect(stdout).toContain('ok    email.send ran exactly once');
  expect(stdout).toMatch(/audit chain of run \S+ verified/);
  expect(stdout.trim().split('\n').pop()).toBe('smoke test passed');
  // The approval it made in an approver's name says who really made it.
  const runId = /audit chain of run (\S+) verified/.exec(stdout)![1];
  const { stdout: trail } = await aios('audit', 'show', runId);
  expect(trail).toMatch(
    new RegExp(`approval\\.decided +\\S+: leo approved via cli \\(typed by ${userInfo().username}@${hostname()}\\) → approved “aios smoke”`),
  );
  // Every call the in-process functions made was within the plan's permissions.
  expect(rt.output()).not.toContain('permission denied');
});

test('aios doctor passes on the local runtime, one line per check', async () => {
  const { stdout } = await aios('doctor');
  expect(stdout).toContain('ok    rule aios-wf-sales-follow-up-0: enabled');
  // the example's two agents share one model: one line for it
  expect(stdout.match(/^ok {4}model /gm)).toHaveLength(1);
  expect(stdout).toMatch(/\d+ passed, 0 warnings, 0 failed/);
});
