/**
 * `npm run synth` on this checkout, bundling every function with the local
 * esbuild and running cdk-nag, with no network at all: where `unshare -n` is
 * available (Linux, root: CI) the CLI runs in a network namespace with only
 * a loopback device, so any attempt to reach the network would fail it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

jest.setTimeout(180_000);

const root = path.join(__dirname, '../..');
const isolated = process.platform === 'linux' && spawnSync('unshare', ['-n', 'true']).status === 0;

test(`npm run synth works offline${isolated ? ' (in a network namespace without network)' : ''}`, async () => {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') && key !== 'AWS_REGION') delete env[key];
  const [cmd, args] = isolated ? ['unshare', ['-n', 'npm', 'run', 'synth', '--silent']] : ['npm', ['run', 'synth', '--silent']];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args as string[], { cwd: root, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (c) => resolve({ code: c, output: out }));
  });
  expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
  const template = readdirSync(path.join(root, 'cdk.out')).find((f) => f.endsWith('.template.json'));
  expect(template).toBeDefined();
  const body = readFileSync(path.join(root, 'cdk.out', template!), 'utf8');
  expect(body).toContain('AWS::StepFunctions::StateMachine');
  expect(existsSync(path.join(root, 'cdk.out', 'manifest.json'))).toBe(true);
});
