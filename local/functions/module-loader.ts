/**
 * Loads handlers from a user module (`AIOS_FUNCTIONS=./my-functions.js`) whose
 * exports map function names to handlers, and the project's own functions/.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { functionEnvironment } from '../../shared/composition/function-environment';
import { FunctionModuleError } from './errors';
import type { FunctionRegistry, LambdaHandler } from './registry';

// A real dynamic import (tsc would turn `import()` into `require` under CommonJS, which cannot load ESM).
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

async function loadModule(file: string): Promise<Record<string, unknown>> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return dynamicImport(pathToFileURL(file).href);
  }
}

/**
 * Registers every function-valued export of the module at `modulePath`
 * (CommonJS or ESM; a default export object is unwrapped). Returns the names.
 * @example AIOS_FUNCTIONS=./fns.js with `module.exports = { echo: async (event) => event }`
 */
export async function registerFunctionModule(registry: FunctionRegistry, modulePath: string): Promise<string[]> {
  const file = path.resolve(modulePath);
  if (!existsSync(file)) throw new FunctionModuleError(modulePath, 'file not found');
  let mod: Record<string, unknown>;
  try {
    mod = await loadModule(file);
  } catch (error) {
    throw new FunctionModuleError(modulePath, (error as Error).message);
  }
  const exports = mod.default && typeof mod.default === 'object' ? { ...mod, ...(mod.default as Record<string, unknown>) } : mod;
  const names: string[] = [];
  for (const [name, value] of Object.entries(exports)) {
    if (name === 'default' || name === '__esModule' || typeof value !== 'function') continue;
    registry.register(name, value as LambdaHandler);
    names.push(name);
  }
  if (names.length === 0) throw new FunctionModuleError(modulePath, 'exports no handler functions');
  return names;
}

/**
 * Registers the project's functions/<name>/ folders as `aios-<name>`: each
 * folder's index (or handler) module exports `createHandler(environment)`
 * (the handler over the runtime's environment with the function's name, so its
 * clients sign as it) or a plain `handler`. A
 * folder that fails to load is reported through `onError` and skipped, so one
 * broken function does not keep the runtime from starting.
 */
export function registerProjectFunctions(
  registry: FunctionRegistry,
  functionsDir: string,
  environment: AiosEnvironment,
  onError: (name: string, error: unknown) => void = () => {},
): string[] {
  if (!existsSync(functionsDir)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(functionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const candidates = ['index.ts', 'index.js', 'handler.ts', 'handler.js'].map((f) => path.join(functionsDir, entry.name, f));
    const file = candidates.find((f) => existsSync(f));
    if (!file) continue;
    const name = `aios-${entry.name}`;
    let handler: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(file) as { handler?: unknown; createHandler?: unknown };
      const createHandler = mod.createHandler as ((env: AiosEnvironment) => unknown) | undefined;
      handler = typeof createHandler === 'function' ? createHandler(functionEnvironment(environment, name)) : mod.handler;
    } catch (error) {
      onError(name, error);
      continue;
    }
    if (typeof handler !== 'function') continue;
    registry.register(name, handler as LambdaHandler);
    names.push(name);
  }
  return names;
}
