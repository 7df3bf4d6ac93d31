/** Starts and SIGKILLs the local runtime as a child process on a fixed port and data directory (crash tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export class RuntimeProcess {
  private child?: ChildProcess;
  private closed = false;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** True once `close()` ran: loops of a test body that outlived its timeout stop on it. */
  get isClosed(): boolean {
    return this.closed;
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('the runtime process is closed');
    const root = path.join(__dirname, '..', '..');
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'server.ts')], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY')) resolve();
      });
      proc.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
      proc.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    });
  }

  /**
   * Kills the process for good. A test that timed out goes on running after its
   * teardown; a server it started then would outlive the run and keep jest from exiting.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.kill();
  }

  async kill(): Promise<void> {
    const proc = this.child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }
}
