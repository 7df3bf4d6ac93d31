/**
 * Starts the local runtime as a child process (`npm start`, as a newcomer
 * would) on a free port with its own data folder, and stops it like Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../local/server/free-port';

export interface RuntimeProcess {
  url: string;
  port: number;
  dataDir: string;
  /** The child's pid, also its process group's id (it starts detached): the runtime itself with `command: 'node'` (benchmarks read its CPU time), npm's otherwise. */
  pid: number;
  output(): string;
  /** SIGINT (Ctrl-C) and wait for a clean exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, no cleanup. */
  kill(): Promise<void>;
}

const root = path.join(__dirname, '../..');

export async function startRuntimeProcess(
  options: { dataDir?: string; port?: number; env?: NodeJS.ProcessEnv; command?: 'npm' | 'node' } = {},
): Promise<RuntimeProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'aios-rt-'));
  const env: NodeJS.ProcessEnv = { ...process.env, AIOS_PORT: String(port), AIOS_DATA_DIR: dataDir, ...options.env };
  // The runtime sets its own endpoint; one inherited from a test would point elsewhere.
  delete env.AWS_ENDPOINT_URL;
  const child: ChildProcess =
    options.command === 'node'
      ? spawn(process.execPath, [path.join(root, 'bin/aios.js'), 'dev'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the runtime exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && out.includes('Try:')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`the runtime did not become healthy:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    dataDir,
    pid: child.pid!,
    output: () => out,
    async stop() {
      process.kill(-child.pid!, 'SIGINT');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
