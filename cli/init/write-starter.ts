/**
 * Writes the starter into a folder. Never overwrites a file the business
 * wrote unless forced; the shipped `os/index.ts` that only re-exports the
 * worked example is not the business's own, so replacing it needs no force.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AiosError } from '../../shared/errors';
import { starterFiles } from './starter-files';

export class InitWouldOverwriteError extends AiosError {
  constructor(dir: string, files: string[]) {
    super('Init.WouldOverwrite', `${dir} already holds ${files.join(', ')}; nothing was written. Use --force to overwrite them, or give another folder.`, {
      dir,
      files,
    });
  }
}

const EXAMPLE_REEXPORT = /^\s*(\/\*\*[\s\S]*?\*\/\s*)?export \{ default \} from '[^']*examples\/kestrel-coffee';\s*$/;

/** Whether a file is the shipped placeholder that re-exports the worked example. */
export function isExampleReexport(text: string): boolean {
  return EXAMPLE_REEXPORT.test(text);
}

/** The import path from `dir` to the project's `shared/` folder. */
export function sharedImportPath(dir: string, projectRoot: string): string {
  const rel = path.relative(dir, path.join(projectRoot, 'shared')).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function writeStarter(options: { dir: string; projectRoot: string; force?: boolean }): string[] {
  const dir = path.resolve(options.dir);
  const files = starterFiles(sharedImportPath(dir, options.projectRoot));
  const clobbered = Object.keys(files).filter((rel) => {
    const target = path.join(dir, rel);
    return existsSync(target) && !isExampleReexport(readFileSync(target, 'utf8'));
  });
  if (clobbered.length > 0 && !options.force) throw new InitWouldOverwriteError(dir, clobbered);
  const written: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    written.push(target);
  }
  return written;
}
