/**
 * The local clock and manual starts on the running runtime: the banner says
 * the clock and the data dir; `aios start` starts a scheduled workflow with
 * the input its schedule gives, at the local clock, and a manual one that
 * reads its event only with --input (the file is the input, wrapped with who
 * typed the command, so the audit trail records a manual start by
 * `user@host`, not an event received, and a second start with the same file
 * is a run of its own, not a duplicate delivery);
 * a bad AIOS_CLOCK stops the start with a clear error; the signing CLI says
 * which data dir's secret it used and why the runtime refused it; a closed
 * pipe ends a command quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../shared/aws/clients';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';

jest.setTimeout(120_000);

const root = path.join(__dirname, '..', '..');
const CLOCK = '2026-12-07T08:00:00-05:00';
/** Who `aios start` says typed it, as `aios approve --as` does. */
const OPERATOR = `${userInfo().username}@${hostname()}`;
let rt: RuntimeProcess;

beforeAll(async () => {
  rt = await startRuntimeProcess({ command: 'node', env: { AIOS_CLOCK: CLOCK } });
});
afterAll(async () => {
  await rt?.kill().catch(() => undefined);
});

const aios = (args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), ...args], {
    cwd: root,
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: rt.dataDir, AIOS_CLOCK: CLOCK },
    encoding: 'utf8',
    timeout: 60_000,
  });

it('the banner names the clock and the data dir', () => {
  expect(rt.output()).toContain(`clock:         starts at ${CLOCK} and moves forward`);
  expect(rt.output()).toMatch(/data: {10}.+\/ {2}\(AIOS_DATA_DIR;/);
});

it("aios start: a scheduled workflow gets its schedule's input at the local clock; a manual one that reads its event needs --input", async () => {
  const started = aios(['start', 'weekly-review']);
  expect(started.stderr).toBe('');
  const arn = /started (\S+)/.exec(started.stdout)![1];
  const sfn = createAwsClients({ endpoint: rt.url }, {}).sfn();
  const wrapped = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).input!) as { input: { source: string; time: string } };
  const input = wrapped.input;
  expect(input.source).toBe('aios.scheduler');
  // The local clock, moved forward by the seconds since the runtime started, not today's real date.
  expect(input.time.slice(0, 15)).toBe('2026-12-07T13:0');

  const bare = aios(['start', 'sales-follow-up']);
  expect(bare.status).toBe(1);
  expect(bare.stderr).toContain('Start.ReadsEvent: workflow "sales-follow-up" reads the event that starts it (event.detail');
  const sample = path.join(root, 'events/samples/bus/hubspot.contact.creation.json');
  const manual = aios(['start', 'sales-follow-up', '--input', sample]);
  const manualArn = /started (\S+)/.exec(manual.stdout)![1];
  expect(JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: manualArn }))).input!)).toEqual({
    aiosManualStart: { operator: OPERATOR, via: 'cli' },
    input: JSON.parse(readFileSync(sample, 'utf8')),
  });
});

it('a run started by hand is recorded as one, naming who typed it; the same event file started again is a second run, not a duplicate', async () => {
  const sample = path.join(root, 'events/samples/bus/hubspot.contact.creation.json');
  const runs = [aios(['start', 'sales-follow-up', '--input', sample]), aios(['start', 'sales-follow-up', '--input', sample])].map(
    (r) => /follow it: npx aios runs show (\S+)/.exec(r.stdout)![1],
  );
  const byHand = `sales-follow-up started by hand, by ${OPERATOR} (cli), with event saas.hubspot / contact.creation (sample-hubspot)`;
  for (const run of runs) {
    let shown = '';
    for (let i = 0; i < 100 && !shown.includes('rights.evaluated'); i++) {
      shown = aios(['audit', 'show', run]).stdout;
      if (!shown.includes('rights.evaluated')) await new Promise((r) => setTimeout(r, 100));
    }
    const lines = shown.split('\n');
    expect(lines[0]).toMatch(/^ {3}1 {2}\S+ {2}run\.started +(.*)$/);
    expect(lines[0]).toContain(byHand);
    expect(shown).not.toContain('event.received');
    expect(shown).not.toContain('run.duplicate');
    const json = JSON.parse(aios(['audit', 'show', run, '--json']).stdout.split('\n')[0]) as { data: Record<string, unknown> };
    expect(json.data).toMatchObject({ trigger: 'manual', operator: OPERATOR, via: 'cli', source: 'saas.hubspot', eventId: 'sample-hubspot' });
    expect(shown).toMatch(new RegExp(`^ok {5}${run}: \\d+ records, chain intact$`, 'm'));
    expect(aios(['runs', 'show', run]).stdout).toContain(
      `▶ execution started: by hand, by ${OPERATOR} (cli); input: event saas.hubspot / contact.creation (sample-hubspot)`,
    );
  }
});

it('aios start names what is wrong: an unknown workflow', () => {
  const r = aios(['start', 'nope']);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('Start.UnknownWorkflow: no workflow "nope"; the definition has support-desk, sales-follow-up, weekly-review');
});

it('a bad AIOS_CLOCK stops the runtime before it listens', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), 'dev', '--port', '0'], {
    cwd: root,
    env: { ...process.env, AIOS_CLOCK: 'next monday' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('Clock.Invalid: AIOS_CLOCK "next monday" is not an ISO 8601 instant');
});

it('the signing CLI names its secret and, when the runtime refuses the signature, the data dir each side uses', () => {
  const sample = path.join(root, 'events/samples/generic.order.paid.json');
  const other = mkdtempSync(path.join(tmpdir(), 'aios-other-data-'));
  const refused = spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), 'webhook', 'generic', sample], {
    cwd: root,
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: other },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(refused.stdout).toContain(`signed with ${path.join(other, 'secrets', 'webhook-generic')}`);
  expect(refused.stdout).toContain('→ 401');
  expect(refused.stderr).toContain(
    `the signature was refused: the runtime at ${rt.url} keeps its secrets in the data dir ${rt.dataDir}, but this command signed with ${path.join(other, 'secrets', 'webhook-generic')} (data dir ${other}): run it with AIOS_DATA_DIR=${rt.dataDir}`,
  );
  expect(refused.status).toBe(1);

  const accepted = spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), 'webhook', 'generic', sample], {
    cwd: root,
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: rt.dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(accepted.stdout).toMatch(/→ 20\d/);
  expect(accepted.status).toBe(0);
});

it.each([
  ['start weekly-review', ['start', 'weekly-review']],
  ['outputs', ['outputs']],
])('aios %s with its output closed before it writes ends quietly', async (_name, args) => {
  const child = spawn(process.execPath, [path.join(root, 'bin/aios.js'), ...args], {
    cwd: root,
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_CLOCK: CLOCK },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
});

it('a closed pipe ends a command quietly (`aios test | head -1`)', async () => {
  const child = spawn(process.execPath, [path.join(root, 'bin/aios.js'), 'test'], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Like `head -1`: read the first line, then close the pipe while the command still writes.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
});

it("read with another data dir's audit key, a trail reads as edited throughout, and the CLI says why", () => {
  const sample = path.join(root, 'events/samples/bus/hubspot.contact.creation.json');
  const run = /follow it: npx aios runs show (\S+)/.exec(aios(['start', 'sales-follow-up', '--input', sample]).stdout)![1];
  const other = mkdtempSync(path.join(tmpdir(), 'aios-other-key-'));
  mkdirSync(path.join(other, 'secrets'));
  writeFileSync(path.join(other, 'secrets', 'audit-chain-key'), 'not the runtime key\n');
  const r = spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), 'audit', 'show', run], {
    cwd: root,
    env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: other },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/^! {2}1 /m);
  expect(r.stdout).toContain(
    `(this command read the audit key in the data dir ${other}, but the runtime at ${rt.url} keeps its own in ${rt.dataDir}: with another key every record looks edited; run it with AIOS_DATA_DIR=${rt.dataDir})`,
  );
});
