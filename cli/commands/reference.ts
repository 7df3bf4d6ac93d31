/** `aios reference [--check]`: writes docs/reference.md from the schemas (or checks it is current). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { PROJECT_ROOT } from '../../local/project-paths';
import { AiosError } from '../../shared/errors';
import { REFERENCE_FILE, referenceSections } from '../reference/reference-sections';
import { renderReference } from '../reference/render-reference';
import { printOut } from '../terminal-text';

export function register(program: Command): void {
  program
    .command('reference')
    .description(`write the definition reference (${REFERENCE_FILE}) from the schemas`)
    .option('--check', 'only check that it is up to date (exit 1 when not)')
    .action((options: { check?: boolean }) => {
      const file = path.join(PROJECT_ROOT, REFERENCE_FILE);
      const text = renderReference(referenceSections);
      if (options.check) {
        if (!existsSync(file) || readFileSync(file, 'utf8') !== text)
          throw new AiosError('Reference.OutOfDate', `${REFERENCE_FILE} is out of date: run npx aios reference`);
        printOut(`${REFERENCE_FILE} is up to date\n`);
        return;
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      printOut(`wrote ${REFERENCE_FILE}\n`);
    });
}
