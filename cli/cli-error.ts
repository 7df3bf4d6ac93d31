import { AiosError } from '../shared/errors';
import { printErr } from './terminal-text';

/**
 * Prints an error for a person (code and message, never a stack trace unless
 * AIOS_DEBUG is set) and returns the exit code: 1 for known errors, 2 otherwise.
 */
export function reportCliError(error: unknown): number {
  if (error instanceof AiosError) {
    printErr(`error ${error.code}: ${error.message}\n`);
    if (process.env.AIOS_DEBUG) printErr(`${error.stack}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  printErr(`error: ${message}\n`);
  if (process.env.AIOS_DEBUG && error instanceof Error) printErr(`${error.stack}\n`);
  return 2;
}
