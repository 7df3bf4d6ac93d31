/**
 * The business definition every handler, the CLI and the local runtime use:
 * `os/index.ts`, or the module named by AIOS_OS_MODULE (tests, other
 * businesses), validated once per process.
 */
import path from 'node:path';
import { loadValidOs, type ValidOs } from '../shared/definition';

let cached: { key: string; os: ValidOs } | undefined;

export function currentOs(env: NodeJS.ProcessEnv = process.env): ValidOs {
  const key = env.AIOS_OS_MODULE ?? '';
  if (cached?.key === key) return cached.os;
  const definition: unknown = key
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(path.resolve(key)) as { default: unknown }).default
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('../os') as { default: unknown }).default;
  cached = { key, os: loadValidOs(definition) };
  return cached.os;
}
