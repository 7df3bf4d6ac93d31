/**
 * Where CLI commands send their AWS calls. Unless told otherwise they talk to
 * the local runtime (`npm start`) on http://127.0.0.1:${AIOS_PORT:-4566};
 * `AWS_ENDPOINT_URL` (any endpoint) or `AIOS_TARGET=aws` (real AWS) override it.
 */
export const DEFAULT_LOCAL_PORT = 4566;

/** The local runtime's URL for this environment. */
export function localEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return `http://127.0.0.1:${env.AIOS_PORT || DEFAULT_LOCAL_PORT}`;
}

/**
 * Sets AWS_ENDPOINT_URL to the local runtime when it is unset and the target
 * is not AWS. Returns the endpoint in use (undefined: real AWS).
 */
export function ensureLocalEndpointEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_ENDPOINT_URL) return env.AWS_ENDPOINT_URL;
  if ((env.AIOS_TARGET ?? '').toLowerCase() === 'aws') return undefined;
  env.AWS_ENDPOINT_URL = localEndpoint(env);
  return env.AWS_ENDPOINT_URL;
}
