/**
 * `aios dev` (and `npm start`): the whole AI OS on this machine — every
 * AWS-compatible API on one port on 127.0.0.1 (AIOS_PORT, default 4566), the
 * business definition installed — until Ctrl-C or SIGTERM. A restart keeps
 * everything (AIOS_DATA_DIR, default .aios/).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { startAiosRuntime } from '../../local/aios-runtime';
import { PROJECT_ROOT } from '../../local/project-paths';
import { configuredPort } from '../../local/runtime';
import { AiosError } from '../../shared/errors';
import { startingEvent, tryLines, webhookSample } from '../dev-suggestion';
import { printOut } from '../terminal-text';

export function register(program: Command): void {
  program
    .command('dev')
    .description('run the whole AI OS on this machine: AWS-compatible APIs on one port, workflows, agents, mail, data')
    .option('-p, --port <port>', 'port to listen on (default: AIOS_PORT or 4566)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--data-dir <dir>', 'where everything is kept (default: AIOS_DATA_DIR or .aios/)')
    .action(async (opts: { port?: string; host?: string; dataDir?: string }) => {
      let port: number;
      try {
        port = opts.port !== undefined ? configuredPort({ AIOS_PORT: opts.port }) : configuredPort();
      } catch (error) {
        throw new AiosError('Dev.InvalidPort', (error as Error).message);
      }
      let runtime;
      try {
        runtime = await startAiosRuntime({ port, host: opts.host, dataDir: opts.dataDir });
      } catch (error) {
        if ((error as { code?: string }).code === 'EADDRINUSE')
          throw new AiosError('Dev.PortInUse', `port ${port} is already in use (set AIOS_PORT to another port)`);
        throw error;
      }
      // Paths under the working directory read shorter relative; one outside it (AIOS_DATA_DIR=/tmp/x) stays as given.
      const rel = (p: string) => {
        const relative = path.relative(process.cwd(), p) || '.';
        return relative.startsWith('..') ? path.resolve(p) : relative;
      };
      const starting = startingEvent(runtime.os, PROJECT_ROOT);
      // The CLI finds this runtime (and signs with its secrets) only with the same port and data dir.
      const cliEnv = `AIOS_PORT=${runtime.port}${path.resolve(runtime.dataDir) === path.resolve('.aios') ? '' : ` AIOS_DATA_DIR=${rel(runtime.dataDir)}`}`;
      const webhook = webhookSample(runtime.os, PROJECT_ROOT);
      const firstWorkflow = Object.keys(runtime.installed.stateMachines)[0] ?? '<workflow>';
      const lines = [
        `${runtime.os.name} — AIOS running on this machine`,
        '',
        `  health:        ${runtime.url}/health`,
        `  AWS APIs:      AWS_ENDPOINT_URL=${runtime.url}  (Step Functions, EventBridge, DynamoDB, SES v2, Bedrock Runtime)`,
        `  webhooks:      ${runtime.url}/webhooks/<source>  (signing secrets in ${rel(path.join(runtime.dataDir, 'secrets'))}/${
          webhook ? `; try: ${cliEnv} npx aios webhook ${webhook.vendor} ${rel(webhook.file)}` : ''
        })`,
        `  console:       ${runtime.url}/console  (sign in with the email address of a person in the definition; the link arrives in the mail folder below)`,
        `  approvals:     ${runtime.url}/approvals/<id>`,
        `  mail:          ${rel(path.join(runtime.dataDir, 'outbox'))}/${process.env.AIOS_SMTP_URL ? ` and ${process.env.AIOS_SMTP_URL}` : ''}`,
        `  model:         ${runtime.modelProvider}`,
        `  your systems:  ${runtime.url}/business/calls  (a stand-in business system that records every call; the example's tools call it)`,
        `  data:          ${rel(runtime.dataDir)}/  (AIOS_DATA_DIR; secrets, mail and state live here: run the CLI with the same one)`,
        ...(process.env.AIOS_CLOCK
          ? [`  clock:         starts at ${process.env.AIOS_CLOCK} and moves forward (AIOS_CLOCK, local only: rights windows, limits, deadlines, schedules)`]
          : []),
        `  workflows:     ${Object.keys(runtime.installed.stateMachines).join(', ')}`,
        '',
        ...tryLines(cliEnv, starting && { ...starting, file: rel(starting.file) }, firstWorkflow),
        '',
      ];
      printOut(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          printOut('stopping…\n');
          void runtime.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
