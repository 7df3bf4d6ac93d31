import { AiosError } from '../shared/errors';

/**
 * Prints an error for a person (code and message, never a stack trace unless
 * AIOS_DEBUG is set) and returns the exit code: 1 for known errors, 2 otherwise.
 */
export function reportCliError(error: unknown): number {
  if (error instanceof AiosError) {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    if (process.env.AIOS_DEBUG) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.AIOS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 2;
}
