/**
 * Which function is running, for the local runtime, where every Lambda
 * handler shares one process. On AWS each function signs its calls with its
 * own role's credentials; locally the registry runs a handler inside
 * `runAsFunction`, and clients aimed at the local endpoint sign with an access
 * key id that is the function's name, so the local runtime can hold each call
 * to the statements the deployment plan gives that function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/**
 * Runs `work` as the function `functionName` (everything it awaits included).
 *
 * @example await runAsFunction('aios-tool-gate', () => handler(event, context));
 */
export function runAsFunction<T>(functionName: string, work: () => T): T {
  return current.run(functionName, work);
}

/** The function whose handler is running, if any. */
export function invokingFunction(): string | undefined {
  return current.getStore();
}

/** The secret half of local credentials: the local runtime never checks signatures. */
const LOCAL_SECRET = 'local';

/**
 * Credentials for a client aimed at the local runtime: the running function's
 * name as the access key id, else `fallback` (a developer's key or `local`).
 * Resolved on every request, not once per client, because one client serves
 * every function in the process.
 */
export function localCredentials(fallback: { accessKeyId: string; secretAccessKey: string } | undefined) {
  const provider = async () => {
    const fn = invokingFunction();
    if (fn) return { accessKeyId: fn, secretAccessKey: LOCAL_SECRET };
    return fallback ?? { accessKeyId: 'local', secretAccessKey: LOCAL_SECRET };
  };
  // The SDK caches a provider's answer unless told the provider does its own caching.
  return Object.assign(provider, { memoized: true });
}
