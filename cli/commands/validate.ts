import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { printOut } from '../terminal-text';

/** `aios validate`: checks the whole definition and prints what it holds. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check the AI OS definition in os/ (or AIOS_OS_MODULE) and print what it holds')
    .action(() => {
      const os = currentOs();
      const line = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      printOut(
        `${os.name}: valid\n` +
          `  ${line(os.people.length, 'person', 'people')}\n` +
          `  ${line(os.agents.length, 'agent', 'agents')}\n` +
          `  ${line(os.tools.length, 'tool', 'tools')}\n` +
          `  ${line(os.rules.length, 'decision rule', 'decision rules')}\n` +
          `  ${line(os.workflows.length, 'workflow', 'workflows')}\n`,
      );
    });
}
