/**
 * The newer commands (init, test, agent prompt, reference, eval's table and
 * start/outputs against a runtime in clock-and-start) print through
 * cli/terminal-text: text from a definition (agent instructions, scenario
 * names) reaches the terminal without its escape sequences, and a closed pipe
 * (`aios test | head -1`) ends a command quietly instead of with an EPIPE trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(180_000);

const root = path.join(__dirname, '..', '..');
const dir = path.join(mkdtempSync(path.join(tmpdir(), 'aios-cli-output-')), 'mine');
const env = { ...process.env, AIOS_OS_MODULE: path.join(dir, 'index.ts') };
const aios = (args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 90_000 });
const eventFile = path.join(dir, 'invoice.json');
// Anything a terminal would act on: C0 but tab and newline, DEL, C1.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Runs a command whose standard output is closed before it writes (a reader that went away). */
async function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/aios.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}

beforeAll(() => {
  expect(aios(['init', dir]).status).toBe(0);
  // A definition written carelessly (or pasted from somewhere): escape sequences in the agent's instructions and a scenario's name.
  const agents = path.join(dir, 'agents.ts');
  writeFileSync(agents, readFileSync(agents, 'utf8').replace("'You handle vendor invoices", "'\\u001b[2J\\u001b]0;owned\\u0007You handle vendor invoices"));
  const scenarios = path.join(dir, 'scenarios');
  const first = path.join(scenarios, readdirSync(scenarios).sort()[0]);
  const scenario = JSON.parse(readFileSync(first, 'utf8')) as { name: string; event: unknown };
  writeFileSync(first, JSON.stringify({ ...scenario, name: `\u001b[31m${scenario.name}\u009b2K` }));
  writeFileSync(eventFile, JSON.stringify(scenario.event));
});

it('aios test prints scenario names without their escape sequences', () => {
  const r = aios(['test']);
  expect(r.stdout).toContain('a $420 invoice from a known vendor is scheduled without asking');
  expect(r.stdout).toContain('2 passed, 0 failed');
  expect(r.stdout).not.toMatch(CONTROL);
});

it('aios agent prompt prints the instructions without their escape sequences, as text and as JSON', () => {
  const text = aios(['agent', 'prompt', 'intake', '--event', eventFile]);
  expect(text.stderr).toBe('');
  expect(text.stdout).toContain('You handle vendor invoices for Northwind Bookkeeping');
  expect(text.stdout).not.toMatch(CONTROL);
  expect(text.stdout).not.toContain('owned');
  const json = aios(['agent', 'prompt', 'intake', '--event', eventFile, '--json']);
  expect(json.stdout).not.toMatch(CONTROL);
  // The JSON keeps the value (escaped), so a program reading it gets the instructions as written.
  const system = JSON.stringify((JSON.parse(json.stdout) as { request: { system: unknown } }).request.system);
  expect(system).toContain('\\u001b[2J');
});

it.each([
  ['init', () => ['init', path.join(path.dirname(dir), 'other')]],
  ['test', () => ['test']],
  ['agent prompt', () => ['agent', 'prompt', 'intake', '--event', eventFile]],
  ['agent prompt --json', () => ['agent', 'prompt', 'intake', '--event', eventFile, '--json']],
  ['reference --check', () => ['reference', '--check']],
])('aios %s with its output closed ends quietly', async (_name, args) => {
  const r = await withClosedStdout(args());
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
