/**
 * `aios model ask --agent <id>` on one's own definition: an agent it does not
 * have is refused before any request leaves, naming the agents it has (the
 * local endpoint would otherwise draft a recording for the unknown agent).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeStarter } from '../../cli/init/write-starter';

jest.setTimeout(60_000);

const root = path.join(__dirname, '..', '..');
const definition = path.join(mkdtempSync(path.join(tmpdir(), 'aios-model-ask-')), 'mine');
let server: Server;
let endpoint = '';
const received: string[] = [];

beforeAll(async () => {
  writeStarter({ dir: definition, projectRoot: root });
  // Stands in for the model endpoint: records what reaches it and refuses it, as the local endpoint does a conversation no recording answers.
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
    res.end(JSON.stringify({ message: 'no recording' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** Runs the CLI as its own process (the stand-in endpoint answers in this one, so no spawnSync). */
function aios(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/aios.js'), ...args], {
    cwd: root,
    env: { ...process.env, AIOS_OS_MODULE: path.join(definition, 'index.ts'), AWS_ENDPOINT_URL: endpoint, AIOS_TARGET: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

it('refuses an agent the definition does not have, naming the ones it has, and sends nothing', async () => {
  const r = await aios(['model', 'ask', '--agent', 'triage', 'Hello']);
  expect(r.stderr).toBe('error Agent.Unknown: no agent named "triage" (known: intake)\n');
  expect(r.code).toBe(1);
  expect(received).toEqual([]);
});

it('sends an agent the definition has to the endpoint', async () => {
  const r = await aios(['model', 'ask', '--agent', 'intake', 'Hello']);
  expect(r.stderr).toContain('ResourceNotFoundException');
  expect(received).toHaveLength(1);
});
