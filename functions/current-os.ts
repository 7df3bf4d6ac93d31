/**
 * The business definition every handler, the CLI and the local runtime use:
 * `os/index.ts`, or the module named by AIOS_OS_MODULE (tests, other
 * businesses), validated once per process.
 */
import path from 'node:path';
import { loadValidOs, type ValidOs } from '../shared/definition';
import { AiosError } from '../shared/errors';

let cached: { key: string; os: ValidOs } | undefined;

/** The definition's own files could not be loaded: a missing import or a file that does not parse. */
export class DefinitionLoadError extends AiosError {
  constructor(file: string, problem: string) {
    super('Definition.LoadFailed', `cannot load the definition ${file}: ${problem}`, { file });
  }
}

/**
 * A mistake in the business's own files, said as one line about those files: Node's message lists the CLI's and
 * runtime's modules that required them ("Require stack"), which only hides the file to fix. Other errors (the
 * definition's code throwing) keep their stack.
 */
function asLoadError(file: string, error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown; requireStack?: unknown };
  const message = typeof e?.message === 'string' ? e.message : '';
  if (e?.code === 'MODULE_NOT_FOUND') {
    const missing = /^Cannot find module '([^']+)'/.exec(message)?.[1];
    const importer = Array.isArray(e.requireStack) ? (e.requireStack[0] as string | undefined) : undefined;
    if (missing && importer === __filename) return new DefinitionLoadError(file, 'no such file (set AIOS_OS_MODULE to a definition, or run `npx aios init`)');
    if (missing)
      return new DefinitionLoadError(file, `cannot find module '${missing}'${importer ? `, imported by ${path.relative(process.cwd(), importer)}` : ''}`);
  }
  // tsx (esbuild) could not parse a file: its message names the file, line and column.
  if (/^Transform failed with \d+ errors?:/.test(message)) return new DefinitionLoadError(file, message.replace(/^Transform failed with \d+ errors?:\s*/, ''));
  return error;
}

export function currentOs(env: NodeJS.ProcessEnv = process.env): ValidOs {
  const key = env.AIOS_OS_MODULE ?? '';
  if (cached?.key === key) return cached.os;
  let definition: unknown;
  try {
    // `require('../os')` stays literal: a bundled function carries the definition through it.
    definition = key
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require(path.resolve(key)) as { default: unknown }).default
      : // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../os') as { default: unknown }).default;
  } catch (error) {
    throw asLoadError(key || 'os/index.ts', error);
  }
  cached = { key, os: loadValidOs(definition) };
  return cached.os;
}
