/**
 * `aios dev`: starts the local runtime on 127.0.0.1 (AIOS_PORT, default 4566)
 * and runs until Ctrl-C or SIGTERM.
 */
import type { Command } from 'commander';
import { AiosError } from '../../shared/errors';
import { configuredPort, startLocalRuntime } from '../../local/runtime';

export function register(program: Command): void {
  program
    .command('dev')
    .description('Run the local runtime (Step Functions API, durable engine) on this machine')
    .option('-p, --port <port>', 'port to listen on (default: AIOS_PORT or 4566)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--data-dir <dir>', 'where executions are stored (default: AIOS_DATA_DIR or .aios/)')
    .action(async (opts: { port?: string; host?: string; dataDir?: string }) => {
      let port: number;
      try {
        port = opts.port !== undefined ? configuredPort({ AIOS_PORT: opts.port }) : configuredPort();
      } catch (error) {
        throw new AiosError('Dev.InvalidPort', (error as Error).message);
      }
      let runtime;
      try {
        runtime = await startLocalRuntime({ port, host: opts.host, dataDir: opts.dataDir });
      } catch (error) {
        if ((error as { code?: string }).code === 'EADDRINUSE') throw new AiosError('Dev.PortInUse', `port ${port} is already in use (set AIOS_PORT)`);
        throw error;
      }
      const fns = runtime.functions.names();
      process.stdout.write(`AIOS local runtime listening on ${runtime.url}\n`);
      process.stdout.write(`  Step Functions: aws stepfunctions --endpoint-url ${runtime.url} list-state-machines\n`);
      process.stdout.write(`  data: ${runtime.dataDir}\n  functions: ${fns.length ? fns.join(', ') : '(none)'}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.stdout.write('stopping…\n');
          void runtime.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
