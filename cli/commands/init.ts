/**
 * `aios init [folder] [--force]`: writes a small working AI OS (default into
 * os/) to make your own: one person, one HTTP API tool, one agent, one
 * event-triggered workflow, rights that allow, ask and refuse, a knowledge
 * document, a recording and two scenarios.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { PROJECT_ROOT } from '../../local/project-paths';
import { writeStarter } from '../init/write-starter';
import { printOut } from '../terminal-text';

export function register(program: Command): void {
  program
    .command('init')
    .description('write a small working AI OS definition to make your own (default into os/)')
    .argument('[folder]', 'where to write it', path.join(PROJECT_ROOT, 'os'))
    .option('--force', 'overwrite files that are already there')
    .action((folder: string, options: { force?: boolean }) => {
      const dir = path.resolve(folder);
      const written = writeStarter({ dir, projectRoot: PROJECT_ROOT, force: options.force === true });
      const shown = (file: string) => (path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file));
      for (const file of written) printOut(`wrote ${shown(file)}\n`);
      const inOs = dir === path.join(PROJECT_ROOT, 'os');
      const env = inOs ? '' : `AIOS_OS_MODULE=${shown(path.join(dir, 'index.ts'))} `;
      const event = shown(path.join(dir, 'events', 'invoice-received.json'));
      printOut(
        `\nNext:\n  ${env}npx aios validate\n  ${env}npx aios test\n  ${env}npx aios agent prompt intake --event ${event}\n  ${env}npm start\n` +
          `  ${env}npx aios start invoice-intake --input ${event}   (in a second terminal, while it runs)\n` +
          'Then edit people.ts, tools.ts, agents.ts, rights.ts and workflows.ts; record real answers with AIOS_MODEL_PROVIDER=openai AIOS_MODEL_RECORD=1.\n',
      );
    });
}
